// Loading rule files: parse, validate, hash.
#include "policy/policy.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "policy/dates.h"
#include "policy/parse_errors.h"
#include "policy/plain_text.h"
#include "policy/text.h"
#include "policy/validate.h"

namespace reciprocity::policy {
namespace {

std::string Sha256Hex(std::string_view content) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(content.data(), content.size(), digest, &length, EVP_sha256(),
             nullptr);
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), static_cast<size_t>(length)));
}

std::string TooBig(std::string_view file_name) {
  return absl::StrCat(AsAbsl(file_name), ":1:1: the file is bigger than ",
                      kMaxRuleFileBytes / 1024,
                      " KiB; a rule file needs a few KiB");
}

// "file:line:column: ..." at the first byte that is not UTF-8. The column
// counts characters, as editors do (the text before it is UTF-8).
absl::Status CheckUtf8(std::string_view file_name, std::string_view content) {
  const std::optional<size_t> bad = FindInvalidUtf8(content);
  if (!bad.has_value()) return absl::OkStatus();
  const std::string_view before = content.substr(0, *bad);
  const size_t newline = before.rfind('\n');
  const size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  return absl::InvalidArgumentError(
      absl::StrCat(AsAbsl(file_name), ":",
                   1 + std::count(before.begin(), before.end(), '\n'), ":",
                   1 + CountCharacters(before.substr(line_start)),
                   ": the file is not valid UTF-8 text; save it as UTF-8"));
}

}  // namespace

int64_t ProjectInfo::BudgetPenceFor(absl::CivilDay day) const {
  return FindBudgetFor(day).value_or(0);
}

std::optional<int64_t> ProjectInfo::FindBudgetFor(absl::CivilDay day) const {
  const absl::CivilDay year_start = FinancialYearStart(day);
  for (const auto& [start, pence] : budgets) {
    if (start == year_start) return pence;
  }
  return std::nullopt;
}

const ProjectInfo* AreaPolicy::FindProject(std::string_view project_id) const {
  for (const ProjectInfo& project : projects_) {
    if (project.id == project_id) return &project;
  }
  return nullptr;
}

int32_t AreaPolicy::payment_promise_days() const {
  return rules_.has_payment_promise_days() ? rules_.payment_promise_days()
                                           : kDefaultPaymentPromiseDays;
}

absl::StatusOr<std::shared_ptr<const AreaPolicy>> ParseRuleFile(
    std::string_view file_name, std::string_view area_id,
    std::string_view content) {
  auto policy = std::shared_ptr<AreaPolicy>(new AreaPolicy());
  google::protobuf::TextFormat::Parser parser;
  ParseErrorCollector errors(content);
  google::protobuf::TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  if (content.size() > kMaxRuleFileBytes) {
    return absl::InvalidArgumentError(TooBig(file_name));
  }
  if (absl::Status utf8 = CheckUtf8(file_name, content); !utf8.ok()) {
    return utf8;
  }
  if (!IsResourceId(area_id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(AsAbsl(file_name),
                     ":1:1: the file name must be the area's id, in "
                     "lower-case letters, digits and hyphens, e.g. "
                     "\"adult-social-care.textproto\""));
  }
  google::protobuf::io::ArrayInputStream input(
      content.data(), static_cast<int>(content.size()));
  if (!parser.Parse(&input, &policy->rules_)) {
    if (!errors.has_error()) {
      return absl::InvalidArgumentError(
          absl::StrCat(AsAbsl(file_name), ":1:1: the file could not be read"));
    }
    return absl::InvalidArgumentError(errors.Format(file_name));
  }
  if (absl::Status valid = ValidateRuleFile(file_name, policy->rules_, tree);
      !valid.ok()) {
    return valid;
  }
  policy->area_id_ = std::string(area_id);
  policy->content_ = std::string(content);
  policy->version_ =
      absl::StrCat(AsAbsl(area_id), "@", Sha256Hex(content).substr(0, 12));
  for (const v1::Project& project : policy->rules_.projects()) {
    ProjectInfo info;
    info.id = project.id();
    info.display_name = project.display_name();
    info.cost_centre = project.cost_centre();
    info.creche_by_default = project.creche_by_default();
    for (const v1::Budget& budget : project.budgets()) {
      // Validated: the date parses.
      info.budgets.emplace_back(
          ParseIsoDate(budget.financial_year_start()).value_or(absl::CivilDay()),
          budget.amount_pence());
    }
    policy->projects_.push_back(std::move(info));
  }
  return std::shared_ptr<const AreaPolicy>(std::move(policy));
}

absl::StatusOr<std::shared_ptr<const AreaPolicy>> LoadRuleFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open the file"));
  }
  // Refused before reading, so that a huge file costs nothing.
  std::error_code error;
  if (const uintmax_t size = std::filesystem::file_size(path, error);
      !error && size > kMaxRuleFileBytes) {
    return absl::InvalidArgumentError(TooBig(path));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat(path, ": cannot read the file"));
  }
  std::string_view base = path;
  if (size_t slash = base.find_last_of('/'); slash != std::string_view::npos) {
    base.remove_prefix(slash + 1);
  }
  if (size_t dot = base.rfind('.'); dot != std::string_view::npos) {
    base = base.substr(0, dot);
  }
  return ParseRuleFile(path, base, content.str());
}

}  // namespace reciprocity::policy
