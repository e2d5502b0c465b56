// recip policy whatif AREA --rules FILE --from D --to D: the area's claims
// judged again under a draft rule file, nothing saved.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "absl/strings/str_format.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "client/terminal_text.h"
#include "reciprocity/v1/policy_service.grpc.pb.h"

namespace reciprocity::client {
namespace {

// "+£1.20", "-£0.45", "£0.00".
std::string Change(int64_t pence) {
  if (pence == 0) return Pounds(0);
  const uint64_t magnitude = pence < 0 ? 0 - static_cast<uint64_t>(pence)
                                       : static_cast<uint64_t>(pence);
  return absl::StrCat(pence < 0 ? "-" : "+",
                      Pounds(static_cast<int64_t>(magnitude)));
}

// "serviceAreas/a/projects/p" -> "p".
std::string ProjectId(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

void PrintLine(std::ostream& out, const v1::WhatIfLineChange& line) {
  out << absl::StrFormat(
      "     %d. %-18s %-9s %-14s -> %-9s %s\n", line.line_index() + 1,
      CategoryLabel(line.category()), Pounds(line.allowed_pence()),
      OutcomeLabel(line.outcome()), Pounds(line.draft_allowed_pence()),
      OutcomeLabel(line.draft_outcome()));
  if (line.reason() != line.draft_reason()) {
    out << "        now:   " << OneLine(line.reason()) << "\n";
    out << "        draft: " << OneLine(line.draft_reason()) << "\n";
  }
}

void PrintReport(std::ostream& out, const v1::WhatIfReport& r) {
  out << "What if " << r.service_area() << " had the draft rules, sessions "
      << r.date_from() << " to " << r.date_to() << " (nothing saved)\n";
  out << "  Rules in force: " << r.policy_version()
      << "   draft: " << r.draft_version() << "\n";
  out << absl::StrFormat(
      "  Claims judged again: %d; would change: %d (%d %s)\n",
      r.claims_replayed(), r.claims_changed(), r.lines_changed(),
      r.lines_changed() == 1 ? "line" : "lines");
  out << "  Allowed under the rules in force " << Pounds(r.allowed_pence())
      << ", under the draft " << Pounds(r.draft_allowed_pence()) << " ("
      << Change(r.draft_allowed_pence() - r.allowed_pence()) << ")\n";
  out << "  Counted against budgets: " << Change(r.committed_change_pence())
      << "\n";
  if (r.changed_claims_size() > 0) {
    out << "\nClaims that would change (state as stored; allowed now -> under "
           "the draft):\n";
  }
  for (const auto& c : r.changed_claims()) {
    out << absl::StrFormat(
        "  %-10s %-24s %s  %-12s %s -> %s", c.claim(), ProjectId(c.project()),
        c.session_date(), StateLabel(c.stored_state()),
        Pounds(c.allowed_pence()), Pounds(c.draft_allowed_pence()));
    if (c.state() != c.draft_state()) {
      out << "  (" << StateLabel(c.state()) << " -> "
          << StateLabel(c.draft_state()) << ")";
    }
    out << "\n";
    for (const auto& line : c.lines()) PrintLine(out, line);
  }
  if (r.changed_claims_not_listed() > 0) {
    out << "  ... and " << r.changed_claims_not_listed()
        << " more changed claims not listed (see --limit)\n";
  }
  out << "\nBudgets (committed: approved, batched and paid claims, and "
         "vouchers earned or issued;\nthe draft leaves vouchers as they "
         "are):\n";
  out << absl::StrFormat("  %-24s %-10s %11s %12s %11s %11s %11s %7s\n",
                         "project", "year from", "budget", "draft budget",
                         "committed", "vouchers", "under draft", "changed");
  for (const auto& b : r.budgets()) {
    out << absl::StrFormat(
        "  %-24s %-10s %11s %12s %11s %11s %11s %7d\n", ProjectId(b.project()),
        b.financial_year_start(),
        b.has_budget_pence() ? Pounds(b.budget_pence()) : "not set",
        b.has_draft_budget_pence() ? Pounds(b.draft_budget_pence()) : "not set",
        Pounds(b.committed_pence()), Pounds(b.vouchers_pence()),
        Pounds(b.draft_committed_pence()), b.claims_changed());
  }
}

}  // namespace

void AddWhatIfCommand(CLI::App& policy, Globals& g) {
  struct Options {
    std::string area;
    std::string rules;
    std::string from;
    std::string to;
    int limit = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* whatif = policy.add_subcommand(
      "whatif",
      "judge the area's claims again under a draft rule file, saving nothing");
  whatif->add_option("area", options->area, "service area id")->required();
  whatif->add_option("--rules", options->rules, "the draft rule file")
      ->required()
      ->check(CLI::ExistingFile);
  whatif->add_option("--from", options->from, "first session date, YYYY-MM-DD")
      ->required();
  whatif->add_option("--to", options->to, "last session date, YYYY-MM-DD")
      ->required();
  whatif->add_option("--limit", options->limit,
                     "changed claims to list (default 100, at most 1000)");
  whatif->callback([&g, options] {
    std::ifstream in(options->rules, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      std::cerr << options->rules << ": cannot read the rule file\n";
      g.exit_code = kExitFailure;
      return;
    }
    v1::WhatIfPolicyRequest request;
    request.set_service_area("serviceAreas/" + options->area);
    request.set_rule_file_text(text.str());
    request.set_rule_file_name(
        std::filesystem::path(options->rules).filename().string());
    request.set_date_from(options->from);
    request.set_date_to(options->to);
    request.set_page_size(options->limit);
    CallAndPrint<v1::PolicyService, v1::WhatIfReport>(
        g,
        [&](v1::PolicyService::Stub& stub, grpc::ClientContext& c,
            v1::WhatIfReport* out) {
          return stub.WhatIfPolicy(&c, request, out);
        },
        PrintReport);
  });
}

}  // namespace reciprocity::client
