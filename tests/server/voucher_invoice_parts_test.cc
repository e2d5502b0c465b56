// A voucher bill larger than one message:
// FinanceService.ReconcileVoucherInvoice takes the invoice in parts (as `recip
// report vouchers` and the web front send it), up to the 4 MiB the
// reconciliation reads, and answers as ReconcileVouchers does. A real server
// over a real channel and a real SQLite file.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/invoice_parts.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "server/domain/invoice_csv.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

namespace t = ::reciprocity::testing;
using ::google::protobuf::util::MessageDifferencer;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::StartsWith;

class VoucherInvoicePartsTest : public t::ProgrammeTest {
 protected:
  VoucherInvoicePartsTest()
      : finance_(v1::FinanceService::NewStub(server_.channel())) {}

  // p-0001 attends an LD user voice session on `date`; the officer gives
  // them the Tesco voucher `serial`.
  void IssueVoucher(const std::string& date, const std::string& serial) {
    const std::string session =
        MustCreateSession(t::kOfficerAsc, t::kLdUserVoice, date);
    v1::VoucherEntitlement earned =
        MustAttend(t::kOfficerAsc, session, "participants/p-0001");
    v1::IssueVoucherRequest issue;
    issue.set_name(earned.name());
    issue.set_serial(serial);
    issue.set_request_id(NextId());
    v1::VoucherEntitlement issued;
    ASSERT_THAT(server_.programme().IssueVoucher(
                    TestServer::As(t::kOfficerAsc).get(), issue, &issued),
                IsOk());
  }

  static v1::ReconcileVouchersRequest Bill(const std::string& csv) {
    v1::ReconcileVouchersRequest request;
    request.set_provider("Tesco");
    request.set_invoice_csv(csv);
    return request;
  }

  // `rows` vouchers of £15.00, TS-00001 on.
  static std::string LongBill(int rows) {
    std::string csv = "serial,value,date\n";
    for (int i = 1; i <= rows; ++i) {
      absl::StrAppendFormat(&csv, "TS-%05d,15.00,2026-11-20\n", i);
    }
    return csv;
  }

  grpc::Status InParts(const v1::ReconcileVouchersRequest& request,
                       v1::VoucherReconciliation* out,
                       const char* who = t::kFinance) {
    return client::ReconcileInParts(*finance_, TestServer::As(who).get(),
                                    request, out);
  }

  std::unique_ptr<v1::FinanceService::Stub> finance_;
};

TEST_F(VoucherInvoicePartsTest, ABillLargerThanOneMessageIsReconciled) {
  IssueVoucher("2026-11-02", "TS-00007");
  IssueVoucher("2026-11-09", "TS-02999");
  const std::string csv = LongBill(3000);
  ASSERT_GT(csv.size(), 64u * 1024);  // past the server's one-message limit

  v1::VoucherReconciliation in_one;
  EXPECT_THAT(finance_->ReconcileVouchers(TestServer::As(t::kFinance).get(),
                                          Bill(csv), &in_one),
              StatusIs(absl::StatusCode::kResourceExhausted));

  v1::VoucherReconciliation r;
  ASSERT_THAT(InParts(Bill(csv), &r), IsOk());
  EXPECT_EQ(r.invoice_row_count(), 3000);
  EXPECT_EQ(r.invoiced_total_pence(), 3000 * 1500);
  EXPECT_EQ(r.issued_count(), 2);
  EXPECT_EQ(r.matched_count(), 2);
  EXPECT_EQ(r.differences_size(), 2998);  // invoiced, never issued
  for (const auto& d : r.differences()) {
    EXPECT_EQ(d.kind(), v1::VOUCHER_DIFFERENCE_KIND_NOT_ISSUED) << d.serial();
  }
}

TEST_F(VoucherInvoicePartsTest, AnswersAsTheOneMessageCallDoes) {
  IssueVoucher("2026-11-02", "TS-00001");
  IssueVoucher("2026-11-09", "TS-00077");
  v1::ReconcileVouchersRequest request = Bill(
      "serial,value,date\nTS-00001,15.00,2026-11-20\n"
      "TS-00002,10.00,2026-11-20\n");
  request.set_issued_from("2026-11-01");
  request.set_issued_to("2026-11-30");
  v1::VoucherReconciliation in_one, in_parts;
  ASSERT_THAT(finance_->ReconcileVouchers(TestServer::As(t::kFinance).get(),
                                          request, &in_one),
              IsOk());
  ASSERT_THAT(InParts(request, &in_parts), IsOk());
  EXPECT_EQ(in_one.differences_size(), 2);  // TS-00002 and TS-00077
  EXPECT_TRUE(MessageDifferencer::Equals(in_one, in_parts))
      << in_one.DebugString() << "\n"
      << in_parts.DebugString();

  // A mistake is placed in the whole invoice, whichever part carried it.
  std::string bad = LongBill(2000);
  bad += "TS-99999,ten pounds,2026-11-20\n";
  EXPECT_THAT(InParts(Bill(bad), &in_parts),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("invoice_csv: 2002:10: value:")));
}

TEST_F(VoucherInvoicePartsTest, LaterPartsCarryOnlyTheInvoice) {
  v1::VoucherReconciliation r;
  auto context = TestServer::As(t::kFinance);
  auto writer = finance_->ReconcileVoucherInvoice(context.get(), &r);
  v1::ReconcileVoucherInvoiceRequest part;
  *part.mutable_head() = Bill("serial,value,date\n");
  ASSERT_TRUE(writer->Write(part));
  // A second head: not a later part's to change.
  part.mutable_head()->set_provider("Sainsbury's");
  writer->Write(part);
  writer->WritesDone();
  EXPECT_THAT(writer->Finish(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("invoice_csv_piece: after the first part")));
}

TEST_F(VoucherInvoicePartsTest, TheFirstPartIsTheHead) {
  v1::VoucherReconciliation r;
  auto context = TestServer::As(t::kFinance);
  auto writer = finance_->ReconcileVoucherInvoice(context.get(), &r);
  v1::ReconcileVoucherInvoiceRequest part;
  part.set_invoice_csv_piece("serial,value,date\n");
  writer->Write(part);
  writer->WritesDone();
  EXPECT_THAT(writer->Finish(), StatusIs(absl::StatusCode::kInvalidArgument,
                                         StartsWith("head: the first part")));
}

TEST_F(VoucherInvoicePartsTest, ABillPastFourMebibytesIsRefused) {
  // 4 MiB and one byte, in parts: refused once the total passes the limit.
  std::string csv = "serial,value,date\n";
  csv.resize(kMaxInvoiceBytes + 1, '\n');
  v1::VoucherReconciliation r;
  EXPECT_THAT(InParts(Bill(csv), &r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       StartsWith("invoice_csv: at most 4 MiB")));
  // Exactly 4 MiB is read (blank lines are skipped).
  csv.resize(kMaxInvoiceBytes);
  EXPECT_THAT(InParts(Bill(csv), &r), IsOk());
  EXPECT_EQ(r.invoice_row_count(), 0);
}

TEST_F(VoucherInvoicePartsTest, OnlyFinanceAndAuditorsReconcile) {
  v1::VoucherReconciliation r;
  EXPECT_THAT(InParts(Bill(LongBill(10)), &r, t::kOfficerAsc),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(InParts(Bill(LongBill(10)), &r, t::kParticipant1),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(InParts(Bill(LongBill(10)), &r, t::kAuditor), IsOk());
}

}  // namespace
}  // namespace reciprocity
