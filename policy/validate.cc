// Meaning checks for rule files. Each check names the field by its path
// ("defaults.travel.mileage.car[1].pence_per_mile") and its position in the
// file, taken from the parser's ParseInfoTree.
#include "policy/validate.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "policy/text.h"
#include "policy/validator.h"

namespace reciprocity::policy {
namespace validation {
namespace {

// A value set in the file: the message holding it, the field, and the index
// in a repeated field (-1 for a singular one).
using ValueCheck = std::function<absl::Status(
    const Node& node, const FieldDescriptor* field, int index)>;

// Runs `check` on every value other than a message set anywhere under
// `node`, stopping at the first error.
absl::Status CheckEveryValue(const Validator& v, const Node& node,
                             const ValueCheck& check) {
  const Message& message = *node.message;
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const int count =
        field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      const int index = field->is_repeated() ? i : -1;
      if (field->type() != FieldDescriptor::TYPE_MESSAGE) {
        RECIP_VALIDATE(check(node, field, index));
        continue;
      }
      const Message& child =
          field->is_repeated()
              ? reflection->GetRepeatedMessage(message, field, i)
              : reflection->GetMessage(message, field);
      RECIP_VALIDATE(CheckEveryValue(
          v, v.Child(node, child, field->name().c_str(), index), check));
    }
  }
  return absl::OkStatus();
}

// Every enum value set anywhere must be one the schema names: proto3 lets a
// number through that no code knows how to judge.
absl::Status CheckEnumsKnown(const Validator& v, const Node& root) {
  return CheckEveryValue(
      v, root,
      [&v](const Node& node, const FieldDescriptor* field,
           int index) -> absl::Status {
        if (field->type() != FieldDescriptor::TYPE_ENUM) {
          return absl::OkStatus();
        }
        const Message& message = *node.message;
        const auto* reflection = message.GetReflection();
        const int value =
            index >= 0 ? reflection->GetRepeatedEnumValue(message, field, index)
                       : reflection->GetEnumValue(message, field);
        if (field->enum_type()->FindValueByNumber(value) != nullptr) {
          return absl::OkStatus();
        }
        return v.Error(node, field->name().c_str(), index,
                       absl::StrCat(value, " is not a known ",
                                    field->enum_type()->name()));
      });
}

// Every string is what people will read: valid UTF-8 (a text escape such as
// "\377" can put any byte in), short, and without control characters that
// could drive a terminal.
absl::Status CheckStrings(const Validator& v, const Node& root) {
  return CheckEveryValue(
      v, root,
      [&v](const Node& node, const FieldDescriptor* field,
           int index) -> absl::Status {
        if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
          return absl::OkStatus();
        }
        const Message& message = *node.message;
        const auto* reflection = message.GetReflection();
        const std::string text =
            index >= 0 ? reflection->GetRepeatedString(message, field, index)
                       : reflection->GetString(message, field);
        const char* name = field->name().c_str();
        if (FindInvalidUtf8(text).has_value()) {
          return v.Error(node, name, index, "not valid UTF-8 text");
        }
        if (CountCharacters(text) > kMaxRuleTextCharacters) {
          return v.Error(
              node, name, index,
              absl::StrCat("at most ", kMaxRuleTextCharacters, " characters"));
        }
        if (FindControlCharacter(text).has_value()) {
          return v.Error(node, name, index,
                         "must not contain control characters (line breaks, "
                         "tabs, escape codes)");
        }
        return absl::OkStatus();
      });
}

absl::Status CheckProject(const Validator& v, const Node& node,
                          const v1::Project& project) {
  if (!IsResourceId(project.id())) {
    return v.Error(node, "id", -1,
                   "use lower-case letters, digits and hyphens, e.g. "
                   "\"ld-user-voice\"");
  }
  if (project.display_name().empty()) {
    return v.Error(node, "display_name", -1, "give the project a name");
  }
  if (project.cost_centre().empty()) {
    return v.Error(node, "cost_centre", -1, "give the cost-centre code");
  }
  std::optional<absl::CivilDay> previous;
  for (int i = 0; i < project.budgets_size(); ++i) {
    const v1::Budget& budget = project.budgets(i);
    const Node entry = v.Child(node, budget, "budgets", i);
    const std::optional<absl::CivilDay> start =
        ParseIsoDate(budget.financial_year_start());
    if (!start.has_value() || start->month() != 4 || start->day() != 1) {
      return v.Error(entry, "financial_year_start", -1,
                     "a financial year starts on 1 April: write YYYY-04-01");
    }
    if (previous.has_value() && *start <= *previous) {
      return v.Error(entry, "financial_year_start", -1,
                     *start == *previous
                         ? "two budgets for the same financial year"
                         : "budgets must be in date order");
    }
    previous = start;
    RECIP_VALIDATE(CheckRange(v, entry, "amount_pence", -1,
                              budget.amount_pence(), kMaxBudgetPence,
                              "more than £1 billion is not plausible"));
  }
  return absl::OkStatus();
}

absl::Status CheckRuleFile(const Validator& v, const Node& root,
                           const v1::RuleFile& rules) {
  RECIP_VALIDATE(CheckStrings(v, root));
  RECIP_VALIDATE(CheckEnumsKnown(v, root));
  if (rules.display_name().empty()) {
    return v.Error(root, "display_name", -1, "give the service area a name");
  }
  if (rules.projects().empty()) {
    return v.Error(root, "projects", -1, "declare at least one project");
  }
  if (rules.has_payment_promise_days() &&
      (rules.payment_promise_days() < 1 ||
       rules.payment_promise_days() > kMaxPaymentPromiseDays)) {
    return v.Error(
        root, "payment_promise_days", -1,
        absl::StrCat("promise to pay within 1 to ", kMaxPaymentPromiseDays,
                     " days, not ", rules.payment_promise_days()));
  }
  std::set<std::string> project_ids;
  for (int i = 0; i < rules.projects_size(); ++i) {
    const Node node = v.Child(root, rules.projects(i), "projects", i);
    RECIP_VALIDATE(CheckProject(v, node, rules.projects(i)));
    if (!project_ids.insert(rules.projects(i).id()).second) {
      return v.Error(node, "id", -1,
                     absl::StrCat("project \"", rules.projects(i).id(),
                                  "\" is declared twice"));
    }
  }
  const Node defaults = v.Child(root, rules.defaults(), "defaults");
  if (!rules.has_defaults() || !rules.defaults().has_general()) {
    return v.Error(defaults, nullptr, -1,
                   "the defaults need a general section (deadline and who "
                   "can claim)");
  }
  RECIP_VALIDATE(CheckSections(v, defaults, rules.defaults()));
  std::set<std::string> overridden;
  for (int i = 0; i < rules.overrides_size(); ++i) {
    const v1::ProjectOverride& override_rules = rules.overrides(i);
    const Node node = v.Child(root, override_rules, "overrides", i);
    const std::string& id = override_rules.project_id();
    if (!project_ids.contains(id)) {
      return v.Error(
          node, "project_id", -1,
          absl::StrCat("no project \"", id, "\" is declared in this file"));
    }
    if (!overridden.insert(id).second) {
      return v.Error(node, "project_id", -1,
                     absl::StrCat("project \"", id,
                                  "\" already has an override: put all its "
                                  "sections in one"));
    }
    if (!override_rules.has_travel() && !override_rules.has_vouchers() &&
        !override_rules.has_childcare() && !override_rules.has_general()) {
      return v.Error(node, nullptr, -1, "the override sets no section");
    }
    RECIP_VALIDATE(CheckSections(v, node, override_rules));
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace validation

bool IsResourceId(std::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-' || id.back() == '-') {
    return false;
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

absl::Status ValidateRuleFile(
    std::string_view file_name, const v1::RuleFile& rules,
    const google::protobuf::TextFormat::ParseInfoTree& tree) {
  const validation::Validator v(file_name);
  return validation::CheckRuleFile(
      v, validation::Node{&rules, &tree, "", validation::ParseLocation(0, 0)},
      rules);
}

}  // namespace reciprocity::policy
