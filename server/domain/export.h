// The payment file and voucher issue list of a batch, as CSV (RFC 4180),
// written a chunk at a time so a batch of any size needs little memory. Pure:
// no storage, no gRPC. Money is formatted from integer pence, never through
// floating point.
#ifndef RECIPROCITY_SERVER_DOMAIN_EXPORT_H_
#define RECIPROCITY_SERVER_DOMAIN_EXPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace reciprocity {

// 123456 -> "1234.56"; -5 -> "-0.05".
std::string PoundsText(int64_t pence);

// One CSV field: quoted (with quotes doubled) when it holds a comma, quote,
// CR or LF, as RFC 4180 requires.
std::string CsvField(absl::string_view value);

// Writes CSV rows ending in CRLF into a buffer and hands the buffer to
// `flush` whenever it passes `chunk_bytes`, and at Finish().
class CsvChunkWriter {
 public:
  CsvChunkWriter(size_t chunk_bytes,
                 std::function<bool(const std::string&)> flush)
      : chunk_bytes_(chunk_bytes), flush_(std::move(flush)) {}
  // False once `flush` has returned false (the reader went away).
  bool AddRow(const std::vector<std::string>& fields);
  bool Finish();

 private:
  const size_t chunk_bytes_;
  std::function<bool(const std::string&)> flush_;
  std::string buffer_;
  bool ok_ = true;
};

// The label in the second field of the row that carries the audit chain head.
inline constexpr char kAuditHeadLabel[] = "AUDIT CHAIN HEAD";

// One row of money in, already in file order (grouped by payee, cost centre
// and provider).
struct PaymentItem {
  std::string payment_method;  // "BANK_TRANSFER", "CASH_ON_THE_DAY", ...
  std::string payee;
  std::string cost_centre;
  std::string provider;
  int64_t claim_id = 0;
  int64_t amount_pence = 0;
};

// Folds consecutive items with the same method, payee, cost centre and
// provider into one row of the file, and ends the file with a control-total
// row. Columns of the payment file:
//   batch_id,payee_reference,payment_method,cost_centre,amount,claim_references
// and of the voucher list:
//   batch_id,participant_reference,value,provider,cost_centre,claim_references
// When given an audit chain head, a last row (six fields, like every other)
// carries it: batch_id,AUDIT CHAIN HEAD,,,,SEQUENCE:HASH
class PaymentFileBuilder {
 public:
  enum class Kind { kPayments, kVouchers };
  PaymentFileBuilder(Kind kind, int64_t batch_id, CsvChunkWriter& out);
  bool Add(const PaymentItem& item);
  // Writes the last row and the control-total row, then the audit chain
  // head row unless `audit_head` is empty.
  bool Finish(absl::string_view audit_head = "");
  int row_count() const { return rows_; }
  int64_t total_pence() const { return total_pence_; }

 private:
  bool FlushRow();
  const Kind kind_;
  const std::string batch_id_;
  CsvChunkWriter& out_;
  bool has_row_ = false;
  PaymentItem current_;
  std::string claim_references_;
  int rows_ = 0;
  int64_t total_pence_ = 0;
};

// SHA-256 over bytes given a piece at a time.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(absl::string_view bytes);
  // Lower-case hex; call once.
  std::string HexDigest();

 private:
  void* context_;  // EVP_MD_CTX, kept out of this header
};

}  // namespace reciprocity

#endif  // RECIPROCITY_SERVER_DOMAIN_EXPORT_H_
