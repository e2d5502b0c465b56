// How recip prints the programme's records: participants, agreements,
// sessions, voucher entitlements and attendance.
#ifndef RECIPROCITY_CLIENT_PROGRAMME_OUTPUT_H_
#define RECIPROCITY_CLIENT_PROGRAMME_OUTPUT_H_

#include <ostream>
#include <string>

#include "reciprocity/v1/programme.pb.h"

namespace reciprocity::client {

// "resident", "parent or carer", ...
std::string TypeLabel(v1::ParticipantType type);
// The record, its appointees and who last changed it (and for whom).
void PrintParticipant(std::ostream& out, const v1::Participant& p);
// One row; a standing agreement adds its project and dates, and whether it
// was ended early.
void PrintAgreement(std::ostream& out, const v1::Agreement& a);

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
