#include "server/domain/export.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace reciprocity {

std::string PoundsText(int64_t pence) {
  const char* sign = pence < 0 ? "-" : "";
  const uint64_t magnitude = pence < 0 ? 0 - static_cast<uint64_t>(pence)
                                       : static_cast<uint64_t>(pence);
  return absl::StrFormat("%s%d.%02d", sign, magnitude / 100, magnitude % 100);
}

std::string CsvField(absl::string_view value) {
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

bool CsvChunkWriter::AddRow(const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) buffer_ += ',';
    buffer_ += CsvField(fields[i]);
  }
  buffer_ += "\r\n";
  if (buffer_.size() >= chunk_bytes_ && ok_) {
    ok_ = flush_(buffer_);
    buffer_.clear();
  }
  return ok_;
}

bool CsvChunkWriter::Finish() {
  if (!buffer_.empty() && ok_) ok_ = flush_(buffer_);
  buffer_.clear();
  return ok_;
}

PaymentFileBuilder::PaymentFileBuilder(Kind kind, int64_t batch_id,
                                       CsvChunkWriter& out)
    : kind_(kind), batch_id_(absl::StrCat(batch_id)), out_(out) {
  if (kind_ == Kind::kPayments) {
    out_.AddRow({"batch_id", "payee_reference", "payment_method", "cost_centre",
                 "amount", "claim_references"});
  } else {
    out_.AddRow({"batch_id", "participant_reference", "value", "provider",
                 "cost_centre", "claim_references"});
  }
}

bool PaymentFileBuilder::Add(const PaymentItem& item) {
  const bool same = has_row_ &&
                    item.payment_method == current_.payment_method &&
                    item.payee == current_.payee &&
                    item.cost_centre == current_.cost_centre &&
                    item.provider == current_.provider;
  if (same) {
    current_.amount_pence += item.amount_pence;
    absl::StrAppend(&claim_references_, " claims/", item.claim_id);
    return true;
  }
  if (has_row_ && !FlushRow()) return false;
  current_ = item;
  claim_references_ = absl::StrCat("claims/", item.claim_id);
  has_row_ = true;
  return true;
}

bool PaymentFileBuilder::FlushRow() {
  has_row_ = false;
  ++rows_;
  total_pence_ += current_.amount_pence;
  if (kind_ == Kind::kPayments) {
    return out_.AddRow({batch_id_, current_.payee, current_.payment_method,
                        current_.cost_centre, PoundsText(current_.amount_pence),
                        claim_references_});
  }
  return out_.AddRow({batch_id_, current_.payee,
                      PoundsText(current_.amount_pence), current_.provider,
                      current_.cost_centre, claim_references_});
}

bool PaymentFileBuilder::Finish(absl::string_view audit_head) {
  if (has_row_ && !FlushRow()) return false;
  const std::string rows = absl::StrCat(rows_, rows_ == 1 ? " row" : " rows");
  const bool written =
      kind_ == Kind::kPayments
          ? out_.AddRow({batch_id_, "CONTROL TOTAL", "", "",
                         PoundsText(total_pence_), rows})
          : out_.AddRow({batch_id_, "CONTROL TOTAL", PoundsText(total_pence_),
                         "", "", rows});
  if (!written || audit_head.empty()) return written;
  // Same six fields as every row, so strict RFC 4180 readers accept it; the
  // amount fields stay empty so nothing sums it as money.
  return out_.AddRow(
      {batch_id_, kAuditHeadLabel, "", "", "", std::string(audit_head)});
}

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(context_), EVP_sha256(), nullptr);
}

Sha256Stream::~Sha256Stream() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_));
}

void Sha256Stream::Update(absl::string_view bytes) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), bytes.data(),
                   bytes.size());
}

std::string Sha256Stream::HexDigest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    absl::StrAppendFormat(&hex, "%02x", digest[i]);
  }
  return hex;
}

}  // namespace reciprocity
