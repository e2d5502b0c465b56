// The policy engine's public interface: load rule files, evaluate claims and
// voucher entitlements. Pure: no clock, no I/O beyond reading rule files, no
// gRPC, no SQLite.
#ifndef RECIPROCITY_POLICY_POLICY_H_
#define RECIPROCITY_POLICY_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/policy.pb.h"
#include "reciprocity/v1/types.pb.h"

namespace reciprocity::policy {

// A project as its service area's rule file declares it.
struct ProjectInfo {
  std::string id;            // e.g. "ld-user-voice"
  std::string display_name;  // e.g. "Learning Disability user voice group"
  std::string cost_centre;   // e.g. "ASC-4410"
  bool creche_by_default = false;
  // Budget for the financial year that starts on 1 April of the year the
  // date falls in (or the year before, for January to March); 0 if none.
  int64_t BudgetPenceFor(absl::CivilDay day) const;
  // As BudgetPenceFor, but std::nullopt when the rule file declares no
  // budget for that year (as opposed to a budget of 0).
  std::optional<int64_t> FindBudgetFor(absl::CivilDay day) const;
  // Budgets keyed by the financial year's first day.
  std::vector<std::pair<absl::CivilDay, int64_t>> budgets;
};

// One service area's validated rule file. Immutable once loaded.
class AreaPolicy {
 public:
  const std::string& area_id() const { return area_id_; }
  const std::string& display_name() const { return rules_.display_name(); }
  // "<area>@<first 12 hex digits of the SHA-256 of the file content>".
  const std::string& version() const { return version_; }
  const std::string& content() const { return content_; }
  const v1::RuleFile& rules() const { return rules_; }
  const std::vector<ProjectInfo>& projects() const { return projects_; }
  // nullptr when the file declares no such project.
  const ProjectInfo* FindProject(std::string_view project_id) const;
  // Days within which the area promises to pay a claim after it is
  // submitted: the file's payment_promise_days, else 14.
  int32_t payment_promise_days() const;

 private:
  friend absl::StatusOr<std::shared_ptr<const AreaPolicy>> ParseRuleFile(
      std::string_view file_name, std::string_view area_id,
      std::string_view content);
  std::string area_id_;
  std::string version_;
  std::string content_;
  v1::RuleFile rules_;
  std::vector<ProjectInfo> projects_;
};

// Parses and validates one rule file. On failure the status is
// INVALID_ARGUMENT and its message starts "file:line:column: " followed by
// the field path (for meaning errors) and a reason.
absl::StatusOr<std::shared_ptr<const AreaPolicy>> ParseRuleFile(
    std::string_view file_name, std::string_view area_id,
    std::string_view content);

// Reads and parses a rule file; the area id is the file name without its
// extension.
absl::StatusOr<std::shared_ptr<const AreaPolicy>> LoadRuleFile(
    const std::string& path);

// Something an officer agreed for the session, as a rule before it.
struct Agreement {
  v1::ExpenseCategory category = v1::EXPENSE_CATEGORY_UNSPECIFIED;
  // Agreed up to this amount; 0 means "agreed, no amount named".
  int64_t up_to_pence = 0;
  // Recorded after the day of the session: a retrospective approval, and
  // the reason says so rather than "before the session".
  bool after_the_session = false;
};

// An earlier claim of the participant with a line that a new line of the
// same category may repeat.
struct EarlierLine {
  int64_t claim_id = 0;
  // The line may yet go unpaid: its claim may still be withdrawn (it is not
  // yet approved), or the line itself may still be refused in review. A
  // repeat of it is not refused but checked by a person.
  bool unsettled = false;
};

// Everything the engine needs to judge a claim. The caller gathers it.
struct ClaimFacts {
  std::string project_id;
  absl::CivilDay session_date;
  // The day the claim is made, for the deadline.
  absl::CivilDay claim_date;
  // Unset: the project's default from the rule file.
  std::optional<bool> creche_provided;
  // The register says the participant's child used the session's crèche.
  bool creche_used = false;
  v1::ParticipantType participant_type = v1::PARTICIPANT_TYPE_UNSPECIFIED;
  std::vector<v1::ClaimLine> lines;
  std::vector<Agreement> agreements;
  // Car miles (tenths) already paid to this participant in the tax year
  // (6 April to 5 April) of the session, for the HMRC 10,000-mile tier.
  int64_t car_tenths_earlier_in_tax_year = 0;
  // Pence committed against the project's budget for the financial year of
  // the session: claims APPROVED onwards, and attendance vouchers earned or
  // issued.
  int64_t project_committed_pence = 0;

  // The rest is read by DecideClaim (policy/claim_outcome.h) only.
  // How the participant is paid; DECLINE: they chose not to be paid.
  v1::PaymentMethod payment_method = v1::PAYMENT_METHOD_BANK_TRANSFER;
  // A session is recorded for the claim but no attendance of the
  // participant at it.
  bool attendance_unknown = false;
  // Category -> the earlier claim of this participant for the same session
  // that already has a line of that category not refused.
  absl::flat_hash_map<int, EarlierLine> claimed_for_session;
  // With no session recorded: category -> an earlier claim of this
  // participant for the same project on the same day with such a line. It
  // may be a second meeting that day, so a person checks it.
  absl::flat_hash_map<int, EarlierLine> claimed_same_day;
};

// Judges a claim. Never fails for a well-formed claim: refusals are
// decisions. Lines are judged in order; the decision names
// policy.version().
v1::Decision Evaluate(const AreaPolicy& policy, const ClaimFacts& facts);

// Whether a line of `category` in the project may be paid straight to the
// payee it names (ClaimLine.payee_reference, e.g. a childminder) instead of
// the participant: the pay_provider_directly of the section that judges the
// category (travel, or childcare for childcare and replacement care). False
// when the project has no such section or the category belongs to none.
// When false, DecideClaim drops the line's payee so that the line is paid to
// the participant; Evaluate's reason for the line already says so (unless
// the participant declined payment, when DecideClaim says what happens).
bool PaysProviderDirectly(const AreaPolicy& policy, std::string_view project_id,
                          v1::ExpenseCategory category);

// The sentence Evaluate puts first in the reason of a line whose payee the
// rules do not pay directly.
std::string PaidToYouInstead(std::string_view payee);

// Facts for a voucher earned by attending a session.
struct VoucherFacts {
  std::string project_id;
  absl::CivilDay session_date;
  v1::ParticipantType participant_type = v1::PARTICIPANT_TYPE_UNSPECIFIED;
  int32_t minutes_attended = 0;
  // Voucher value (pence) already earned by this participant in this
  // project's area in the tax year of the session.
  int64_t earned_earlier_in_year_pence = 0;
  bool participant_declined = false;
};

struct VoucherDecision {
  int64_t value_pence = 0;  // 0: no voucher
  std::string provider;     // e.g. "Tesco"
  std::string rule;
  std::string reason;  // plain English, either way
};

VoucherDecision EvaluateVoucher(const AreaPolicy& policy,
                                const VoucherFacts& facts);

// Who supplies the project's vouchers (e.g. "Tesco"): the provider of the
// vouchers section that applies to it (its override's, else the area's).
// Empty when that section names none or there is no such section.
std::string VoucherProvider(const AreaPolicy& policy,
                            std::string_view project_id);

// Formats pence as pounds for people: 540 -> "£5.40", 45 -> "45p".
std::string FormatMoney(int64_t pence);

}  // namespace reciprocity::policy

#endif  // RECIPROCITY_POLICY_POLICY_H_
