#include "client/programme_output.h"

#include "absl/strings/str_format.h"
#include "client/money.h"
#include "client/output.h"
#include "client/terminal_text.h"

namespace reciprocity::client {

void PrintSession(std::ostream& out, const v1::Session& s) {
  out << absl::StrFormat(
      "%-12s %s %s-%s  %s  %s%s%s\n", s.name(), s.date(), s.start_time(),
      s.end_time(), s.project(), s.online() ? "online" : OneLine(s.venue()),
      s.creche_provided() ? "  (crèche)" : "",
      s.state() == v1::SESSION_STATE_CANCELLED ? "  CANCELLED" : "");
  if (s.state() == v1::SESSION_STATE_CANCELLED) {
    out << "    Cancelled by " << s.cancelled_by() << ": "
        << OneLine(s.cancel_reason()) << "\n";
    if (!s.cancellation_note().empty()) {
      out << "    " << s.cancellation_note() << "\n";
    }
  }
}

void PrintEntitlement(std::ostream& out, const v1::VoucherEntitlement& e) {
  out << absl::StrFormat("%-24s %-22s %-12s %s %8s  %-10s %s\n", e.name(),
                         e.participant(), e.session(), e.session_date(),
                         Pounds(e.value_pence()),
                         EnumLabel(v1::VoucherEntitlementState_descriptor(),
                                   e.state(), "VOUCHER_ENTITLEMENT_STATE_"),
                         e.serial());
  out << "    " << e.reason() << "\n";
  if (e.needs_decision()) {
    out << "    NEEDS A DECISION: " << e.correction_note() << "\n";
  } else if (!e.correction_note().empty()) {
    out << "    Corrected: " << e.correction_note() << "\n";
  }
}

void PrintAttendance(std::ostream& out, const v1::Attendance& at) {
  out << at.name() << ": " << at.minutes() << " minutes";
  if (at.has_creche_used()) {
    out << (at.creche_used() ? ", child in the crèche"
                             : ", no child in the crèche");
  }
  out << "\n";
  if (!at.correction_reason().empty()) {
    out << "    Corrected by " << at.corrected_by() << ": "
        << OneLine(at.correction_reason()) << "\n";
  }
  if (at.has_voucher_entitlement()) {
    PrintEntitlement(out, at.voucher_entitlement());
  }
}

}  // namespace reciprocity::client
