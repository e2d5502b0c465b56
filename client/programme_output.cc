#include "client/programme_output.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/money.h"
#include "client/output.h"
#include "client/terminal_text.h"

namespace reciprocity::client {

std::string TypeLabel(v1::ParticipantType type) {
  return EnumLabel(v1::ParticipantType_descriptor(), type,
                   "PARTICIPANT_TYPE_");
}

void PrintParticipant(std::ostream& out, const v1::Participant& p) {
  out << p.name() << " ("
      << (p.state() == v1::PARTICIPANT_STATE_ACTIVE       ? "active"
          : p.state() == v1::PARTICIPANT_STATE_ANONYMISED ? "anonymised"
                                                          : "inactive")
      << ")\n";
  out << "  Type:     " << TypeLabel(p.participant_type()) << "\n";
  out << "  Paid by:  " << PaymentLabel(p.payment_preference()) << "\n";
  out << "  Name:     " << OneLine(p.display_name()) << "\n";
  if (!p.contact().empty()) {
    out << "  Contact:  " << OneLine(p.contact()) << "\n";
  }
  if (!p.appointees().empty()) {
    out << "  Acting for them: " << OneLine(absl::StrJoin(p.appointees(), ", "))
        << "\n";
  }
  if (!p.updated_by().empty()) {
    out << "  Last changed by " << OneLine(p.updated_by());
    if (!p.updated_on_behalf_of().empty()) {
      out << " for " << OneLine(p.updated_on_behalf_of());
    }
    out << "\n";
  }
}

void PrintAgreement(std::ostream& out, const v1::Agreement& a) {
  const bool standing = a.session().empty();
  out << absl::StrFormat(
      "%-14s %-22s %-12s %-18s %s  %s\n", a.name(), a.participant(),
      standing ? "standing" : a.session(), CategoryLabel(a.category()),
      a.up_to_pence() > 0
          ? "up to " + Pounds(a.up_to_pence()) + (standing ? " each" : "")
          : "agreed",
      OneLine(a.note()));
  if (standing) {
    out << "    Every session of " << OneLine(a.project()) << " from "
        << OneLine(a.date_from()) << " to " << OneLine(a.date_to()) << ".\n";
    if (!a.ended_by().empty()) {
      out << "    Ended early by " << OneLine(a.ended_by())
          << " (first agreed to " << OneLine(a.original_date_to()) << ").\n";
    }
    if (a.retrospective()) {
      out << "    Recorded after it began: sessions before then are "
             "approved retrospectively.\n";
    }
  } else if (a.retrospective()) {
    out << "    Agreed after the session: a retrospective approval.\n";
  }
}

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
