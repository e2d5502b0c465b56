// How recip prints sessions and voucher entitlements, for the programme and
// correction commands alike.
#ifndef RECIPROCITY_CLIENT_PROGRAMME_OUTPUT_H_
#define RECIPROCITY_CLIENT_PROGRAMME_OUTPUT_H_

#include <ostream>

#include "reciprocity/v1/programme.pb.h"

namespace reciprocity::client {

// One line; a cancelled session says so, with the reason and what happens
// to what was made for it.
void PrintSession(std::ostream& out, const v1::Session& s);

// Two lines, and a third when the voucher was corrected or needs an
// officer's decision.
void PrintEntitlement(std::ostream& out, const v1::VoucherEntitlement& e);

// An attendance and the voucher it earned.
void PrintAttendance(std::ostream& out, const v1::Attendance& at);

}  // namespace reciprocity::client

#endif  // RECIPROCITY_CLIENT_PROGRAMME_OUTPUT_H_
