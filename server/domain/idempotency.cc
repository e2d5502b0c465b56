#include "server/domain/idempotency.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace reciprocity {

absl::Status ValidateRequestId(absl::string_view field, absl::string_view id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field,
        ": required; choose a new random id (e.g. a UUID) for each "
        "request and reuse it only to retry"));
  }
  if (id.size() > 128 || !std::all_of(id.begin(), id.end(), [](char c) {
        return c > ' ' && c < 127;
      })) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": at most 128 printable characters without spaces"));
  }
  return absl::OkStatus();
}

std::string RecordNameOf(const google::protobuf::Message& response) {
  const auto* field = response.GetDescriptor()->FindFieldByName("name");
  if (field == nullptr ||
      field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return "";
  }
  return response.GetReflection()->GetString(response, field);
}

std::string RequestHash(absl::string_view method, const Principal& principal,
                        const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(absl::StrCat(method, "\n", principal.id, "\n", bytes));
}

}  // namespace reciprocity
