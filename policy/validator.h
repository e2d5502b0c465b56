// Internal to rule-file validation: naming and placing the field a mistake
// is in, and the checks shared by validate.cc and validate_sections.cc.
#ifndef RECIPROCITY_POLICY_VALIDATOR_H_
#define RECIPROCITY_POLICY_VALIDATOR_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"
#include "policy/dates.h"
#include "policy/plain_text.h"
#include "policy/policy.h"
#include "reciprocity/v1/policy.pb.h"

namespace reciprocity::policy::validation {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::RepeatedField;
using google::protobuf::RepeatedPtrField;
using ParseInfoTree = google::protobuf::TextFormat::ParseInfoTree;
using ParseLocation = google::protobuf::TextFormat::ParseLocation;

// A message in the file: where it is, and how to name it.
struct Node {
  const Message* message;
  const ParseInfoTree* tree;  // nullptr when the parser recorded none
  std::string path;           // "" for the whole file
  ParseLocation location;     // where the message starts; line -1 if unknown
};

class Validator {
 public:
  explicit Validator(std::string_view file_name) : file_name_(file_name) {}

  // A message-typed field of `parent`; index -1 for a singular field.
  Node Child(const Node& parent, const Message& child, const char* field,
             int index = -1) const {
    const FieldDescriptor* descriptor = Field(parent, field);
    Node node{&child, nullptr, FieldPath(parent, field, index),
              parent.location};
    if (parent.tree != nullptr && descriptor != nullptr) {
      const int at = TreeIndex(descriptor, index);
      node.tree = parent.tree->GetTreeForNested(descriptor, at);
      const ParseLocation here = parent.tree->GetLocation(descriptor, at);
      if (here.line >= 0) node.location = here;
    }
    return node;
  }

  // INVALID_ARGUMENT "file:line:column: path.field[index]: reason", placed at
  // the field when the file sets it, else at the enclosing message.
  absl::Status Error(const Node& node, const char* field, int index,
                     std::string_view reason) const {
    ParseLocation where = node.location;
    const FieldDescriptor* descriptor =
        field == nullptr ? nullptr : Field(node, field);
    if (node.tree != nullptr && descriptor != nullptr) {
      const ParseLocation here =
          node.tree->GetLocation(descriptor, TreeIndex(descriptor, index));
      if (here.line >= 0) where = here;
    }
    const std::string path =
        field == nullptr ? node.path : FieldPath(node, field, index);
    return absl::InvalidArgumentError(absl::StrCat(
        AsAbsl(file_name_), ":", where.line >= 0 ? where.line + 1 : 1, ":",
        where.line >= 0 ? where.column + 1 : 1, ": ",
        path.empty() ? "" : absl::StrCat(path, ": "), AsAbsl(reason)));
  }

 private:
  // ParseInfoTree insists on -1 for singular fields and an index for
  // repeated ones (a mismatch is fatal): "the list as a whole" is entry 0.
  static int TreeIndex(const FieldDescriptor* field, int index) {
    return field->is_repeated() ? (index < 0 ? 0 : index) : -1;
  }
  static const FieldDescriptor* Field(const Node& node, const char* field) {
    return node.message->GetDescriptor()->FindFieldByName(field);
  }
  static std::string FieldPath(const Node& node, const char* field, int index) {
    std::string path = node.path.empty() ? std::string(field)
                                         : absl::StrCat(node.path, ".", field);
    if (index >= 0) absl::StrAppend(&path, "[", index, "]");
    return path;
  }

  const std::string_view file_name_;
};

#define RECIP_VALIDATE(expr)                \
  do {                                      \
    if (absl::Status s = (expr); !s.ok()) { \
      return s;                             \
    }                                       \
  } while (false)

// Checks "effective_from" of entries 0..n-1: a real date, in order, never
// two on the same day.
template <typename Entry>
absl::Status CheckDated(const Validator& v, const Node& parent,
                        const RepeatedPtrField<Entry>& entries,
                        const char* field) {
  std::optional<absl::CivilDay> previous;
  for (int i = 0; i < entries.size(); ++i) {
    const Node entry = v.Child(parent, entries[i], field, i);
    const std::string& text = entries[i].effective_from();
    const std::optional<absl::CivilDay> day = ParseIsoDate(text);
    if (!day.has_value()) {
      return v.Error(
          entry, "effective_from", -1,
          absl::StrCat("\"", text, "\" is not a date written YYYY-MM-DD"));
    }
    if (previous.has_value() && *day == *previous) {
      return v.Error(entry, "effective_from", -1,
                     absl::StrCat("two entries take effect on ", text));
    }
    if (previous.has_value() && *day < *previous) {
      return v.Error(entry, "effective_from", -1,
                     absl::StrCat("entries must be in date order, but ", text,
                                  " comes after ", FormatIsoDate(*previous)));
    }
    previous = day;
  }
  return absl::OkStatus();
}

// A number in [0, max]; `what` finishes "more than ..." for the reason.
// A number in [0, max]; `too_much` is the reason when it is above.
absl::Status CheckRange(const Validator& v, const Node& node, const char* field,
                        int index, int64_t value, int64_t max,
                        std::string_view too_much);

// Dated amounts: CheckDated, then each amount in [0, max].
absl::Status CheckPence(const Validator& v, const Node& parent,
                        const RepeatedPtrField<v1::DatedPence>& entries,
                        const char* field, int64_t max);

// The travel, vouchers, childcare and general sections that are set.
absl::Status CheckSections(const Validator& v, const Node& node,
                           const v1::RuleSet& sections);
absl::Status CheckSections(const Validator& v, const Node& node,
                           const v1::ProjectOverride& sections);

}  // namespace reciprocity::policy::validation

#endif  // RECIPROCITY_POLICY_VALIDATOR_H_
