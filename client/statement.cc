// The statement of a participant's claims, what was allowed and why, the
// vouchers they earned, and the totals: short sentences, pounds, fit to
// print and hand over. Built once; printed as text here, shown as HTML by
// the web front.
#include "client/statement.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "client/output.h"
#include "client/terminal_text.h"

namespace reciprocity::client {
namespace {

// "serviceAreas/a/projects/ld-user-voice" -> "serviceAreas/a".
std::string AreaOf(const std::string& project) {
  const size_t at = project.find("/projects/");
  return at == std::string::npos ? project : project.substr(0, at);
}

// Claims whose money we allowed.
bool Counts(v1::ClaimState state) {
  return state == v1::CLAIM_STATE_APPROVED ||
         state == v1::CLAIM_STATE_BATCHED || state == v1::CLAIM_STATE_PAID;
}

StatementLine LineInWords(const v1::ClaimLine& line,
                          const v1::LineDecision& decision,
                          v1::ClaimState state) {
  StatementLine out;
  out.what = CategoryLabel(line.category());
  if (line.category() == v1::EXPENSE_CATEGORY_MILEAGE) {
    out.distance = true;
    out.claimed =
        absl::StrFormat("%d.%d miles", line.distance_tenths_of_mile() / 10,
                        line.distance_tenths_of_mile() % 10);
  } else {
    out.claimed = Pounds(line.amount_pence());
  }
  if (state == v1::CLAIM_STATE_WITHDRAWN) {
    // What the line was waiting for no longer matters.
    out.status = "The claim was withdrawn.";
    return out;
  }
  if (decision.outcome() == v1::LINE_OUTCOME_NEEDS_REVIEW) {
    out.status = "We are still checking this.";
  } else {
    out.allowed = Pounds(decision.allowed_pence());
  }
  out.reason = decision.reason();
  return out;
}

// What the claim means in money, after ClaimStateSentence; empty when it
// means none.
std::string MoneySentence(const v1::Claim& claim) {
  const int64_t allowed = claim.decision().allowed_total_pence();
  if (Counts(claim.state())) {
    return absl::StrCat("For this claim we allowed ", Pounds(allowed), ".");
  }
  if ((claim.state() == v1::CLAIM_STATE_NEEDS_REVIEW ||
       claim.state() == v1::CLAIM_STATE_SUBMITTED) &&
      allowed > 0) {
    return absl::StrCat("We can pay up to ", Pounds(allowed),
                        " once it is checked.");
  }
  return "";
}

// "1 was withdrawn." / "2 were withdrawn."; empty for none.
std::string CountSentence(int64_t count, const char* one, const char* many) {
  if (count == 0) return "";
  return absl::StrCat(" ", count, " ", count == 1 ? one : many, ".");
}

void AddVouchers(Statement& statement,
                 const std::vector<v1::VoucherEntitlement>& vouchers,
                 const ProjectNames& projects) {
  int64_t earned = 0, given = 0;
  for (const auto& voucher : vouchers) {
    const bool issued = voucher.state() == v1::VOUCHER_ENTITLEMENT_STATE_ISSUED;
    if (!issued && voucher.state() != v1::VOUCHER_ENTITLEMENT_STATE_EARNED) {
      continue;  // nothing was earned; the attendance says why
    }
    statement.vouchers.push_back(absl::StrCat(
        LongDate(voucher.session_date()), ", ",
        ProjectLabel(projects, voucher.project()), ": a ",
        Pounds(voucher.value_pence()), " ",
        voucher.provider().empty() ? "" : OneLine(voucher.provider()) + " ",
        "voucher. ",
        issued ? "We gave it to you." : "We have not given it to you yet."));
    earned += voucher.value_pence();
    if (issued) given += voucher.value_pence();
  }
  if (statement.vouchers.empty()) return;
  statement.voucher_total =
      absl::StrCat("You earned vouchers worth ", Pounds(earned),
                   ". We have given you ", Pounds(given), " of them.");
}

}  // namespace

ProjectNames LookUpProjectNames(const std::vector<std::string>& projects,
                                const ListProjectsCall& list_projects) {
  ProjectNames names;
  absl::flat_hash_set<std::string> areas;
  for (const std::string& project : projects) areas.insert(AreaOf(project));
  for (const std::string& area : areas) {
    v1::ListProjectsRequest request;
    request.set_parent(area);
    request.set_page_size(1000);
    v1::ListProjectsResponse response;
    if (list_projects(request, &response).ok()) {
      for (const auto& project : response.projects()) {
        names[project.name()] = OneLine(project.display_name());
      }
    }
  }
  return names;
}

std::string ProjectLabel(const ProjectNames& names,
                         const std::string& project) {
  auto it = names.find(project);
  if (it != names.end() && !it->second.empty()) return it->second;
  const size_t slash = project.rfind('/');
  return slash == std::string::npos ? project : project.substr(slash + 1);
}

std::string LongDate(const std::string& date) {
  static constexpr const char* kMonths[] = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  int y = 0, m = 0, d = 0;
  if (date.size() == 10 && absl::SimpleAtoi(date.substr(0, 4), &y) &&
      absl::SimpleAtoi(date.substr(5, 2), &m) &&
      absl::SimpleAtoi(date.substr(8, 2), &d) && m >= 1 && m <= 12) {
    return absl::StrCat(d, " ", kMonths[m - 1], " ", y);
  }
  return date;
}

std::string ClaimStateSentence(v1::ClaimState state) {
  switch (state) {
    case v1::CLAIM_STATE_SUBMITTED:
      return "We have this claim and will check it soon.";
    case v1::CLAIM_STATE_NEEDS_REVIEW:
      return "We are still checking this claim.";
    case v1::CLAIM_STATE_APPROVED:
      return "We will pay this claim.";
    case v1::CLAIM_STATE_REJECTED:
      return "We cannot pay this claim.";
    case v1::CLAIM_STATE_WITHDRAWN:
      return "This claim was withdrawn, so we will not pay it.";
    case v1::CLAIM_STATE_BATCHED:
      return "We will pay this claim soon.";
    case v1::CLAIM_STATE_PAID:
      return "We have paid this claim.";
    case v1::CLAIM_STATE_DECLINED:
      return "You chose not to be paid, so we will not pay this claim. We "
             "keep it as a record.";
    default:
      return "Ask us where this claim is up to.";
  }
}

Statement BuildStatement(const v1::Participant& participant,
                         const std::vector<v1::Claim>& claims,
                         const std::vector<v1::VoucherEntitlement>& vouchers,
                         const ProjectNames& projects) {
  Statement statement;
  statement.for_whom = absl::StrCat(OneLine(participant.display_name()), " (",
                                    participant.name(), ")");
  int64_t claimed = 0, allowed = 0, paid = 0, checking = 0;
  int64_t withdrawn = 0, refused = 0, declined = 0;
  for (const v1::Claim& claim : claims) {
    StatementClaim& out = statement.claims.emplace_back();
    out.id = std::string(absl::StripPrefix(claim.name(), "claims/"));
    out.heading = absl::StrCat(
        "Claim ", out.id, ", for the ", ProjectLabel(projects, claim.project()),
        " session on ", LongDate(claim.session_date()), ".");
    for (int i = 0; i < claim.lines_size(); ++i) {
      const v1::LineDecision decision = i < claim.decision().lines_size()
                                            ? claim.decision().lines(i)
                                            : v1::LineDecision();
      out.lines.push_back(LineInWords(claim.lines(i), decision, claim.state()));
    }
    out.state_sentence = ClaimStateSentence(claim.state());
    out.money_sentence = MoneySentence(claim);
    // What was asked for counts only claims that may still be paid.
    switch (claim.state()) {
      case v1::CLAIM_STATE_WITHDRAWN:
        ++withdrawn;
        continue;
      case v1::CLAIM_STATE_REJECTED:
        ++refused;
        continue;
      case v1::CLAIM_STATE_DECLINED:
        ++declined;
        continue;
      default:
        break;
    }
    claimed += claim.claimed_total_pence();
    if (Counts(claim.state())) {
      allowed += claim.decision().allowed_total_pence();
    } else {
      checking += claim.decision().allowed_total_pence();
    }
    if (claim.state() == v1::CLAIM_STATE_PAID) {
      paid += claim.decision().allowed_total_pence();
    }
  }
  AddVouchers(statement, vouchers, projects);
  if (claims.empty()) return statement;
  statement.totals.push_back(absl::StrCat(
      "You made ", claims.size(), claims.size() == 1 ? " claim." : " claims.",
      CountSentence(withdrawn, "was withdrawn", "were withdrawn"),
      refused > 0 ? absl::StrCat(" We could not pay ", refused, ".") : "",
      declined > 0
          ? absl::StrCat(" You chose not to be paid for ", declined, ".")
          : "",
      withdrawn + refused + declined > 0 ? " Leaving those out, you" : " You",
      " claimed ", Pounds(claimed), " in all."));
  statement.totals.push_back(
      absl::StrCat("In total we allowed ", Pounds(allowed), "."));
  statement.totals.push_back(
      absl::StrCat("Of that, we have paid ", Pounds(paid), "."));
  if (checking > 0) {
    statement.totals.push_back(absl::StrCat(
        "We are still checking claims worth up to ", Pounds(checking), "."));
  }
  return statement;
}

void PrintStatement(std::ostream& out, const Statement& statement) {
  out << kStatementTitle << "\n";
  out << "For: " << statement.for_whom << "\n\n";
  if (statement.claims.empty()) out << "There are no claims yet.\n\n";
  for (const StatementClaim& claim : statement.claims) {
    out << claim.heading << "\n";
    for (const StatementLine& line : claim.lines) {
      out << "  " << line.what << ": "
          << (line.distance ? "you travelled " : "you claimed ") << line.claimed
          << ". "
          << (line.allowed.empty()
                  ? line.status
                  : absl::StrCat("We allowed ", line.allowed, "."))
          << "\n";
      if (!line.reason.empty()) out << "    " << line.reason << "\n";
    }
    out << "  " << claim.state_sentence;
    if (!claim.money_sentence.empty()) out << " " << claim.money_sentence;
    out << "\n\n";
  }
  if (!statement.vouchers.empty()) {
    out << "Vouchers for coming to sessions\n";
    for (const std::string& voucher : statement.vouchers) {
      out << "  " << voucher << "\n";
    }
    out << "  " << statement.voucher_total << "\n\n";
  }
  if (statement.totals.empty()) return;
  out << "Totals\n";
  for (const std::string& total : statement.totals) {
    out << "  " << total << "\n";
  }
}

void PrintStatement(std::ostream& out, const v1::Participant& participant,
                    const std::vector<v1::Claim>& claims,
                    const std::vector<v1::VoucherEntitlement>& vouchers,
                    const ProjectNames& projects) {
  PrintStatement(out, BuildStatement(participant, claims, vouchers, projects));
}

}  // namespace reciprocity::client
