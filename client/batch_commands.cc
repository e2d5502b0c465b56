// recip batch create|list|show|approve|export|paid|cancel
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "client/call.h"
#include "client/commands.h"
#include "client/output.h"
#include "reciprocity/v1/finance.grpc.pb.h"

namespace reciprocity::client {
namespace {

struct BatchArgs {
  std::string batch;
  std::string area, project, from, to, method;
  std::string out, vouchers;
  std::string payment_date;
  std::string request_id;
  bool claims = false;
};

// "3" is accepted for "batches/3".
std::string BatchArg(const std::string& value) {
  return absl::StartsWith(value, "batches/") ? value
                                             : absl::StrCat("batches/", value);
}

std::string ProjectArgument(const std::string& value) {
  if (value.empty() || absl::StartsWith(value, "serviceAreas/")) return value;
  auto slash = value.find('/');
  if (slash == std::string::npos) return value;
  return absl::StrCat("serviceAreas/", value.substr(0, slash), "/projects/",
                      value.substr(slash + 1));
}

std::string StateText(v1::BatchState state) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(v1::BatchState_Name(state), "BATCH_STATE_"));
}

void PrintBatch(std::ostream& out, const v1::Batch& b) {
  out << absl::StrFormat("%s  %s  %d claims  %s\n", b.name(),
                         StateText(b.state()), b.claim_count(),
                         Pounds(b.total_pence()));
  out << "  created by " << b.created_by();
  if (!b.approved_by().empty()) out << ", approved by " << b.approved_by();
  if (!b.exported_by().empty()) out << ", exported by " << b.exported_by();
  if (!b.paid_by().empty()) {
    out << ", paid on " << b.payment_date() << " (" << b.paid_by() << ")";
  }
  if (!b.cancelled_by().empty()) out << ", cancelled by " << b.cancelled_by();
  out << "\n  By payment method:\n";
  for (const auto& t : b.payment_method_totals()) {
    out << absl::StrFormat(
        "    %-20s %6d claims %12s\n",
        absl::StripPrefix(v1::PaymentMethod_Name(t.payment_method()),
                          "PAYMENT_METHOD_"),
        t.claim_count(), Pounds(t.amount_pence()));
  }
  out << "  By project:\n";
  for (const auto& t : b.project_totals()) {
    out << absl::StrFormat("    %-56s %-10s %6d claims %12s\n", t.project(),
                           t.cost_centre(), t.claim_count(),
                           Pounds(t.amount_pence()));
  }
  for (const auto& c : b.claims()) out << "  " << c << "\n";
}

// Runs one unary batch call and prints the batch it returns.
template <typename Request>
void RunBatchCall(Globals& g, const Request& request,
                  grpc::Status (v1::FinanceService::Stub::*method)(
                      grpc::ClientContext*, const Request&, v1::Batch*)) {
  CallAndPrint<v1::FinanceService, v1::Batch>(
      g,
      [&](v1::FinanceService::Stub& stub, grpc::ClientContext& c,
          v1::Batch* out) { return (stub.*method)(&c, request, out); },
      PrintBatch);
}

std::string RequestId(const BatchArgs& a) {
  return a.request_id.empty() ? NewRequestId() : a.request_id;
}

// A file written beside its final name ("NAME.part") and renamed into
// place only once complete, so a failed export never leaves a partial
// payment file that could be sent to the bank.
class OutputFile {
 public:
  bool Open(const std::string& path) {
    path_ = path;
    stream_.open(PartPath(), std::ios::binary | std::ios::trunc);
    return stream_.is_open();
  }
  bool is_open() const { return stream_.is_open(); }
  std::ostream& stream() { return stream_; }
  // Renames the complete file into place; false if writing failed.
  bool Commit() {
    stream_.close();
    if (!stream_) return false;
    std::error_code error;
    std::filesystem::rename(PartPath(), path_, error);
    return !error;
  }
  // Removes what was written.
  void Discard() {
    if (path_.empty()) return;
    stream_.close();
    std::error_code ignored;
    std::filesystem::remove(PartPath(), ignored);
  }

 private:
  std::string PartPath() const { return path_ + ".part"; }
  std::string path_;
  std::ofstream stream_;
};

void Export(Globals& g, const BatchArgs& a) {
  Connection connection(g.connection);
  auto stub = v1::FinanceService::NewStub(connection.channel());
  v1::ExportBatchRequest request;
  request.set_name(BatchArg(a.batch));
  request.set_request_id(RequestId(a));
  OutputFile payment_file, voucher_file;
  if (!a.out.empty() && a.out != "-" && !payment_file.Open(a.out)) {
    std::cerr << "recip: cannot write " << a.out << "\n";
    g.exit_code = kExitFailure;
    return;
  }
  if (!a.vouchers.empty() && !voucher_file.Open(a.vouchers)) {
    std::cerr << "recip: cannot write " << a.vouchers << "\n";
    payment_file.Discard();
    g.exit_code = kExitFailure;
    return;
  }
  std::ostream& payments =
      payment_file.is_open() ? payment_file.stream() : std::cout;
  auto context = connection.NewContext();
  auto reader = stub->ExportBatch(context.get(), request);
  v1::ExportBatchResponse piece;
  v1::ExportSummary summary;
  while (reader->Read(&piece)) {
    payments << piece.payment_file_chunk();
    if (voucher_file.is_open()) {
      voucher_file.stream() << piece.voucher_file_chunk();
    }
    if (piece.has_summary()) summary = piece.summary();
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) {
    payment_file.Discard();
    voucher_file.Discard();
    g.exit_code = ReportError(s);
    return;
  }
  payments.flush();
  if ((payment_file.is_open() && !payment_file.Commit()) ||
      (voucher_file.is_open() && !voucher_file.Commit())) {
    payment_file.Discard();
    voucher_file.Discard();
    std::cerr << "recip: could not finish writing the export files; nothing "
                 "was saved. Export again.\n";
    g.exit_code = kExitFailure;
    return;
  }
  std::cerr << absl::StrFormat(
      "%s: %d payment rows, control total %s (sha256 %s); %d voucher rows, "
      "%s; audit head %s\n",
      summary.batch(), summary.payment_row_count(),
      Pounds(summary.payment_control_total_pence()),
      summary.payment_file_sha256(), summary.voucher_row_count(),
      Pounds(summary.voucher_total_pence()),
      summary.audit_head().empty() ? "-" : summary.audit_head());
  if (summary.voucher_row_count() > 0 && a.vouchers.empty()) {
    std::cerr << "recip: the voucher issue list ("
              << summary.voucher_row_count()
              << " rows) was not saved; export again with --vouchers FILE "
                 "(the files are the same every time)\n";
  }
}

}  // namespace

void AddBatchCommands(CLI::App& app, Globals& g) {
  auto a = std::make_shared<BatchArgs>();
  CLI::App* batch = app.add_subcommand(
      "batch", "payment batches: create, approve, export, record payment");
  batch->require_subcommand(1);

  CLI::App* create = batch->add_subcommand(
      "create", "gather every approved claim not yet in a batch");
  create->add_option("--area", a->area, "only this service area");
  create->add_option("--project", a->project,
                     "only this project, e.g. adult-social-care/ld-user-voice");
  create->add_option("--from", a->from, "session dates from (YYYY-MM-DD)");
  create->add_option("--to", a->to, "session dates to (YYYY-MM-DD)");
  create
      ->add_option("--method", a->method,
                   "only claims paid this way (e.g. cash, to reconcile cash "
                   "given at sessions)")
      ->check(CLI::IsMember({"bank", "voucher", "cash"}));
  create->add_option("--request-id", a->request_id, "for safe retries");
  create->callback([&g, a] {
    v1::CreateBatchRequest request;
    if (!a->area.empty()) {
      request.mutable_selection()->set_service_area(
          absl::StartsWith(a->area, "serviceAreas/")
              ? a->area
              : absl::StrCat("serviceAreas/", a->area));
    }
    request.mutable_selection()->set_project(ProjectArgument(a->project));
    request.mutable_selection()->set_session_date_from(a->from);
    request.mutable_selection()->set_session_date_to(a->to);
    if (!a->method.empty()) {
      request.mutable_selection()->set_payment_method(
          a->method == "bank"      ? v1::PAYMENT_METHOD_BANK_TRANSFER
          : a->method == "voucher" ? v1::PAYMENT_METHOD_VOUCHER
                                   : v1::PAYMENT_METHOD_CASH_ON_THE_DAY);
    }
    request.set_request_id(RequestId(*a));
    RunBatchCall(g, request, &v1::FinanceService::Stub::CreateBatch);
  });

  batch->add_subcommand("list", "list batches, newest first")->callback([&g] {
    // Every page, so that no batch is left out.
    Calls<v1::FinanceService> calls(g);
    v1::ListBatchesResponse response;
    if (!calls.EachPage<v1::ListBatchesResponse, v1::ListBatchesRequest>(
            v1::ListBatchesRequest(),
            [](v1::FinanceService::Stub& stub, grpc::ClientContext& c,
               const v1::ListBatchesRequest& request,
               v1::ListBatchesResponse* out) {
              return stub.ListBatches(&c, request, out);
            },
            [&](const v1::ListBatchesResponse& page) {
              response.mutable_batches()->MergeFrom(page.batches());
            })) {
      return;
    }
    PrintAnswer<v1::ListBatchesResponse>(
        g, response, [](std::ostream& out, const v1::ListBatchesResponse& r) {
          for (const auto& b : r.batches()) {
            out << absl::StrFormat("%-12s %-10s %7d claims %12s  by %s\n",
                                   b.name(), StateText(b.state()),
                                   b.claim_count(), Pounds(b.total_pence()),
                                   b.created_by());
          }
        });
  });

  CLI::App* show = batch->add_subcommand("show", "a batch and its totals");
  show->add_option("batch", a->batch, "batch number or batches/N")->required();
  show->add_flag("--claims", a->claims, "also list the claims");
  show->callback([&g, a] {
    v1::GetBatchRequest request;
    request.set_name(BatchArg(a->batch));
    request.set_include_claims(a->claims);
    RunBatchCall(g, request, &v1::FinanceService::Stub::GetBatch);
  });

  CLI::App* approve = batch->add_subcommand(
      "approve",
      "approve a draft batch (not your own, nor one with claims "
      "you entered or reviewed)");
  approve->add_option("batch", a->batch, "batch number")->required();
  approve->add_option("--request-id", a->request_id, "for safe retries");
  approve->callback([&g, a] {
    v1::ApproveBatchRequest request;
    request.set_name(BatchArg(a->batch));
    request.set_request_id(RequestId(*a));
    RunBatchCall(g, request, &v1::FinanceService::Stub::ApproveBatch);
  });

  CLI::App* cancel = batch->add_subcommand(
      "cancel", "cancel a draft or approved batch; its claims are freed");
  cancel->add_option("batch", a->batch, "batch number")->required();
  cancel->add_option("--request-id", a->request_id, "for safe retries");
  cancel->callback([&g, a] {
    v1::CancelBatchRequest request;
    request.set_name(BatchArg(a->batch));
    request.set_request_id(RequestId(*a));
    RunBatchCall(g, request, &v1::FinanceService::Stub::CancelBatch);
  });

  CLI::App* exp = batch->add_subcommand(
      "export", "write the payment file (CSV) of an approved batch");
  exp->add_option("batch", a->batch, "batch number")->required();
  exp->add_option("--out", a->out, "payment file to write (default stdout)");
  exp->add_option("--vouchers", a->vouchers, "voucher issue list to write");
  exp->add_option("--request-id", a->request_id, "for safe retries");
  exp->callback([&g, a] { Export(g, *a); });

  CLI::App* paid =
      batch->add_subcommand("paid", "record that an exported batch was paid");
  paid->add_option("batch", a->batch, "batch number")->required();
  paid->add_option("--date", a->payment_date, "payment date (YYYY-MM-DD)")
      ->required();
  paid->add_option("--request-id", a->request_id, "for safe retries");
  paid->callback([&g, a] {
    v1::MarkBatchPaidRequest request;
    request.set_name(BatchArg(a->batch));
    request.set_payment_date(a->payment_date);
    request.set_request_id(RequestId(*a));
    RunBatchCall(g, request, &v1::FinanceService::Stub::MarkBatchPaid);
  });
}

}  // namespace reciprocity::client
