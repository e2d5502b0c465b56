#include "client/programme_output.h"

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
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

}  // namespace reciprocity::client
