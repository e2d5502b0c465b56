// Vouchers are money: vouchers earned by attending count against their
// project's budget and appear in the spend report, and the vouchers issued
// are reconciled with the provider's invoice. A real server over a real
// channel and a real SQLite file.
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "server/domain/invoice_csv.h"
#include "tests/server/programme_fixture.h"

namespace reciprocity {
namespace {

namespace t = ::reciprocity::testing;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TestServer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::StartsWith;

// A voucher for attending the LD user voice group in 2026-27 is £15 (Tesco).
constexpr int64_t kVoucherPence = 1500;

class VoucherMoneyTest : public t::ProgrammeTest {
 protected:
  VoucherMoneyTest()
      : finance_(v1::FinanceService::NewStub(server_.channel())) {}

  // p-0001 attends an LD user voice session on `date` and earns a voucher.
  v1::VoucherEntitlement Earn(
      const std::string& date,
      const std::string& participant = "participants/p-0001",
      const std::string& project = t::kLdUserVoice,
      const char* officer = t::kOfficerAsc) {
    const std::string session = MustCreateSession(officer, project, date);
    v1::VoucherEntitlement e = MustAttend(officer, session, participant);
    EXPECT_EQ(e.state(), v1::VOUCHER_ENTITLEMENT_STATE_EARNED) << e.reason();
    return e;
  }
  v1::VoucherEntitlement Issue(const v1::VoucherEntitlement& e,
                               const std::string& serial,
                               const char* officer = t::kOfficerAsc) {
    v1::IssueVoucherRequest issue;
    issue.set_name(e.name());
    issue.set_serial(serial);
    issue.set_request_id(NextId());
    v1::VoucherEntitlement issued;
    EXPECT_THAT(server_.programme().IssueVoucher(TestServer::As(officer).get(),
                                                 issue, &issued),
                IsOk());
    return issued;
  }
  v1::SpendReport Spend() {
    v1::SpendReport spend;
    EXPECT_THAT(
        finance_->GetSpendReport(TestServer::As(t::kFinance).get(), {}, &spend),
        IsOk());
    return spend;
  }
  grpc::Status Reconcile(const std::string& csv, v1::VoucherReconciliation* out,
                         const std::string& from = "",
                         const std::string& to = "") {
    v1::ReconcileVouchersRequest request;
    request.set_provider("Tesco");
    request.set_invoice_csv(csv);
    request.set_issued_from(from);
    request.set_issued_to(to);
    return finance_->ReconcileVouchers(TestServer::As(t::kFinance).get(),
                                       request, out);
  }
  // Sets the LD user voice group's 2026-27 budget and reloads the rules.
  void SetLdBudget(int64_t pence) {
    const auto file = server_.rules_dir() / "adult-social-care.textproto";
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    const std::string from =
        R"(budgets { financial_year_start: "2026-04-01" amount_pence: 650000 })";
    ASSERT_THAT(text, HasSubstr(from));
    // The first occurrence is the LD user voice group's.
    text.replace(
        text.find(from), from.size(),
        absl::StrCat(R"(budgets { financial_year_start: "2026-04-01" )",
                     "amount_pence: ", pence, " }"));
    std::ofstream(file, std::ios::trunc) << text;
    v1::ReloadPoliciesRequest request;
    request.set_request_id(NextId());
    v1::ReloadPoliciesResponse response;
    ASSERT_THAT(
        server_.policies().ReloadPolicies(
            TestServer::As(t::kAdministrator).get(), request, &response),
        IsOk());
    ASSERT_THAT(response.errors(), IsEmpty());
  }

  std::unique_ptr<v1::FinanceService::Stub> finance_;
};

int64_t RowPence(const google::protobuf::RepeatedPtrField<v1::SpendRow>& rows,
                 const std::string& key) {
  for (const auto& row : rows) {
    if (row.key() == key) return row.amount_pence();
  }
  return -1;
}

// A claim that fits the budget alone no longer fits once the vouchers
// earned are counted: it goes to a person, as any claim over budget does.
TEST_F(VoucherMoneyTest, VouchersEarnedCountAgainstTheProjectBudget) {
  SetLdBudget(1800);  // £18
  // Before any voucher: £3.20 of £18 committed.
  v1::Claim first = MustSubmit(
      t::kOfficerAsc, t::BusFareClaim("participants/p-0002", "2026-11-16"));
  ASSERT_EQ(first.state(), v1::CLAIM_STATE_APPROVED)
      << first.decision().summary();
  // A £15 voucher earned (not yet issued): £18.20 committed, over £18.
  Earn("2026-11-17");
  v1::Claim second = MustSubmit(
      t::kOfficerAsc, t::BusFareClaim("participants/p-0002", "2026-11-10"));
  EXPECT_EQ(second.state(), v1::CLAIM_STATE_NEEDS_REVIEW);
  ASSERT_THAT(second.decision().lines(), SizeIs(1));
  EXPECT_EQ(second.decision().lines(0).rule(), "general.budget");
  EXPECT_THAT(second.decision().summary(),
              HasSubstr("almost used its money for this year"));

  const v1::SpendReport spend = Spend();
  for (const auto& p : spend.projects()) {
    if (p.project() != t::kLdUserVoice) continue;
    EXPECT_EQ(p.budget_pence(), 1800);
    EXPECT_EQ(p.committed_pence(), 320 + kVoucherPence);
    EXPECT_EQ(p.voucher_pence(), kVoucherPence);
  }
}

// Earned and issued vouchers are spend, by project, cost centre, area,
// category and month, to the penny; a voucher not earned is not.
TEST_F(VoucherMoneyTest, SpendReportCountsVouchersBesideClaims) {
  ASSERT_THAT(server_.RegisterParticipant("p-0003"), IsOk());
  Earn("2026-11-18");  // earned, not issued
  Issue(Earn("2026-10-14", "participants/p-0002"), "TS-1");  // issued
  // Thirty minutes earns nothing (the least is an hour).
  const std::string short_session =
      MustCreateSession(t::kOfficerAsc, t::kLdUserVoice, "2026-11-11");
  EXPECT_EQ(MustAttend(t::kOfficerAsc, short_session, "participants/p-0003", 30)
                .state(),
            v1::VOUCHER_ENTITLEMENT_STATE_NOT_EARNED);
  const v1::Claim fare = MustSubmit(t::kOfficerAsc, t::BusFareClaim());
  ASSERT_EQ(fare.state(), v1::CLAIM_STATE_APPROVED)
      << fare.decision().summary();

  const v1::SpendReport spend = Spend();
  EXPECT_EQ(spend.total_committed_pence(), 320 + 2 * kVoucherPence);
  EXPECT_EQ(spend.total_voucher_pence(), 2 * kVoucherPence);
  bool found = false;
  for (const auto& p : spend.projects()) {
    if (p.project() != t::kLdUserVoice) {
      EXPECT_EQ(p.committed_pence(), 0) << p.project();
      continue;
    }
    found = true;
    EXPECT_EQ(p.committed_pence(), 320 + 2 * kVoucherPence);
    EXPECT_EQ(p.voucher_pence(), 2 * kVoucherPence);
    EXPECT_EQ(p.paid_pence(), kVoucherPence);  // the issued voucher
    EXPECT_EQ(p.voucher_issued_pence(), kVoucherPence);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(RowPence(spend.by_category(), "ATTENDANCE_VOUCHER"),
            2 * kVoucherPence);
  EXPECT_EQ(RowPence(spend.by_category(), "PUBLIC_TRANSPORT"), 320);
  EXPECT_EQ(RowPence(spend.by_service_area(), "adult-social-care"),
            320 + 2 * kVoucherPence);
  EXPECT_EQ(RowPence(spend.by_cost_centre(), "ASC-4410"),
            320 + 2 * kVoucherPence);
  EXPECT_EQ(RowPence(spend.by_month(), "2026-11"), 320 + kVoucherPence);
  EXPECT_EQ(RowPence(spend.by_month(), "2026-10"), kVoucherPence);
  ASSERT_THAT(spend.vouchers_by_month(), SizeIs(12));
  EXPECT_EQ(RowPence(spend.vouchers_by_month(), "2026-11"), kVoucherPence);
  EXPECT_EQ(RowPence(spend.vouchers_by_month(), "2026-10"), kVoucherPence);
  EXPECT_EQ(RowPence(spend.vouchers_by_month(), "2026-09"), 0);

  // The tax-year totals count the same vouchers.
  v1::ParticipantTotalsReport people;
  ASSERT_THAT(finance_->GetParticipantTotalsReport(
                  TestServer::As(t::kFinance).get(), {}, &people),
              IsOk());
  int64_t voucher_pence = 0;
  for (const auto& p : people.participants()) {
    voucher_pence += p.attendance_voucher_pence();
  }
  EXPECT_EQ(voucher_pence, 2 * kVoucherPence);
}

// Every kind of difference, each on its own serial; one serial matches.
TEST_F(VoucherMoneyTest, ReconciliationListsEveryDifference) {
  for (const char* id : {"p-0003", "p-0004", "p-0005", "p-0006"}) {
    ASSERT_THAT(server_.RegisterParticipant(id), IsOk());
  }
  const auto e1 = Issue(Earn("2026-11-02"), "TS-001");
  const auto e2 = Issue(Earn("2026-11-03", "participants/p-0002"), "TS-002");
  const auto e3 = Issue(Earn("2026-11-04", "participants/p-0003"), "TS-003");
  const auto e4 = Issue(Earn("2026-11-05", "participants/p-0004"), "TS-004");
  // The same serial recorded on two vouchers.
  const auto e5 = Issue(Earn("2026-11-06", "participants/p-0005"), "TS-005");
  const auto e6 = Issue(Earn("2026-11-07", "participants/p-0006"), "TS-005");
  // A Sainsbury's voucher (strategy and commissioning) on Tesco's invoice.
  const auto e7 = Issue(Earn("2026-11-09", "participants/p-0001",
                             t::kTacklingPoverty, t::kOfficerSc),
                        "TS-007", t::kOfficerSc);
  ASSERT_EQ(e7.provider(), "Sainsbury's");
  // Earned but never issued: nothing to reconcile.
  Earn("2026-11-10", "participants/p-0002");

  const std::string invoice =
      "\xEF\xBB\xBF"
      "Serial,Value,Date\r\n"
      "TS-001,15.00,2026-11-02\r\n"
      "\"TS-002\",12.00,2026-11-03\r\n"  // issued at £15
      "TS-004,£15,2026-11-05\r\n"
      "TS-004,15.0,2026-11-06\r\n"  // twice
      "TS-005,15.00,2026-11-06\r\n"
      "TS-007,15.00,2026-11-09\r\n"
      "\r\n"
      "TS-999,15.00,2026-11-12\r\n";  // never issued
  v1::VoucherReconciliation r;
  ASSERT_THAT(Reconcile(invoice, &r), IsOk());
  EXPECT_EQ(r.invoice_row_count(), 7);
  EXPECT_EQ(r.invoiced_total_pence(), 6 * 1500 + 1200);
  EXPECT_EQ(r.issued_count(), 6);  // Tesco's: e1 to e6
  EXPECT_EQ(r.issued_total_pence(), 6 * kVoucherPence);
  EXPECT_EQ(r.matched_count(), 1);  // TS-001

  std::vector<std::pair<std::string, v1::VoucherDifferenceKind>> kinds;
  for (const auto& d : r.differences())
    kinds.emplace_back(d.serial(), d.kind());
  EXPECT_THAT(
      kinds,
      ElementsAre(std::pair{std::string("TS-002"),
                            v1::VOUCHER_DIFFERENCE_KIND_VALUE_DIFFERS},
                  std::pair{std::string("TS-003"),
                            v1::VOUCHER_DIFFERENCE_KIND_NOT_INVOICED},
                  std::pair{std::string("TS-004"),
                            v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ON_INVOICE},
                  std::pair{std::string("TS-005"),
                            v1::VOUCHER_DIFFERENCE_KIND_DUPLICATE_ISSUED},
                  std::pair{std::string("TS-007"),
                            v1::VOUCHER_DIFFERENCE_KIND_PROVIDER_DIFFERS},
                  std::pair{std::string("TS-999"),
                            v1::VOUCHER_DIFFERENCE_KIND_NOT_ISSUED}));
  const v1::VoucherDifference& value = r.differences(0);
  EXPECT_EQ(value.issued_pence(), 1500);
  EXPECT_EQ(value.invoiced_pence(), 1200);
  EXPECT_THAT(value.invoice_lines(), ElementsAre(3));
  EXPECT_THAT(value.voucher_entitlements(), ElementsAre(e2.name()));
  EXPECT_EQ(value.description(),
            "Invoiced at £12.00 (line 3), but we issued it at £15.00 (" +
                e2.name() + ").");
  EXPECT_THAT(r.differences(1).voucher_entitlements(), ElementsAre(e3.name()));
  EXPECT_THAT(r.differences(2).invoice_lines(), ElementsAre(4, 5));
  EXPECT_THAT(r.differences(3).voucher_entitlements(),
              ElementsAre(e5.name(), e6.name()));
  EXPECT_EQ(r.differences(4).issued_provider(), "Sainsbury's");
  EXPECT_THAT(r.differences(5).invoice_lines(), ElementsAre(9));
  EXPECT_EQ(r.differences(5).invoiced_pence(), 1500);
  EXPECT_THAT(r.differences(5).voucher_entitlements(), IsEmpty());
  (void)e1;
  (void)e4;
}

// Vouchers issued outside the invoice's period are not "not invoiced"; a
// serial on the invoice still matches whenever it was issued.
TEST_F(VoucherMoneyTest, ThePeriodBoundsOnlyWhatShouldBeInvoiced) {
  Issue(Earn("2026-11-02"), "TS-001");  // issued today, 2026-11-20
  v1::VoucherReconciliation r;
  ASSERT_THAT(Reconcile("serial,value,date\n", &r, "2026-10-01", "2026-10-31"),
              IsOk());
  EXPECT_EQ(r.issued_count(), 0);
  EXPECT_THAT(r.differences(), IsEmpty());
  ASSERT_THAT(Reconcile("serial,value,date\n", &r, "2026-11-01", "2026-11-30"),
              IsOk());
  ASSERT_THAT(r.differences(), SizeIs(1));
  EXPECT_EQ(r.differences(0).kind(), v1::VOUCHER_DIFFERENCE_KIND_NOT_INVOICED);
  ASSERT_THAT(Reconcile("date,serial,value\n2026-11-20,TS-001,15\n", &r,
                        "2026-10-01", "2026-10-31"),
              IsOk());
  EXPECT_EQ(r.matched_count(), 1);
  EXPECT_THAT(r.differences(), IsEmpty());
}

struct BadInvoiceCase {
  std::string name;
  std::string csv;
  std::string message;  // the exact start of the status message
};

class BadInvoiceTest : public VoucherMoneyTest,
                       public ::testing::WithParamInterface<BadInvoiceCase> {};

TEST_P(BadInvoiceTest, IsRefusedAtItsLineAndColumn) {
  v1::VoucherReconciliation r;
  const grpc::Status status = Reconcile(GetParam().csv, &r);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), StartsWith(GetParam().message));
  EXPECT_THAT(r.differences(), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Rows, BadInvoiceTest,
    ::testing::Values(
        BadInvoiceCase{"Empty", "", "invoice_csv: 1:1: empty"},
        BadInvoiceCase{"UnknownColumn", "serial,amount,date\n",
                       "invoice_csv: 1:8: unknown column \"amount\""},
        BadInvoiceCase{"MissingColumn", "serial,value\nA,1.00\n",
                       "invoice_csv: 1:1: the header has no \"date\" column"},
        BadInvoiceCase{"DecimalComma",
                       "serial,value,date\nA,10,50,2026-11-01\n",
                       "invoice_csv: 2:9: expected 3 fields, found 4"},
        BadInvoiceCase{"TooFewFields", "serial,value,date\nA,10.50\n",
                       "invoice_csv: 2:8: expected 3 fields, found 2"},
        BadInvoiceCase{
            "ThreeDecimals",
            "serial,value,date\nA,1.00,2026-11-01\nB,3.205,2026-11-01\n",
            "invoice_csv: 3:3: value: '3.205' is not an amount"},
        BadInvoiceCase{"NegativeValue",
                       "serial,value,date\nA,-1.00,2026-11-01\n",
                       "invoice_csv: 2:3: value: '-1.00': an amount cannot be "
                       "negative"},
        BadInvoiceCase{"QuotedDecimalComma",
                       "serial,value,date\nA,\"10,50\",2026-11-01\n",
                       "invoice_csv: 2:3: value: '10,50': use a point for "
                       "pence"},
        BadInvoiceCase{"NotADate", "serial,value,date\nA,1.00,01/11/2026\n",
                       "invoice_csv: 2:8: date: '01/11/2026' is not a date"},
        BadInvoiceCase{"EmptySerial", "serial,value,date\n,1.00,2026-11-01\n",
                       "invoice_csv: 2:1: serial: 1 to 64 printable"},
        BadInvoiceCase{"UnclosedQuote",
                       "serial,value,date\n\"A,1.00,2026-11-01\n",
                       "invoice_csv: 2:1: a quoted field must end"},
        BadInvoiceCase{"StrayQuote",
                       "serial,value,date\nA\"B,1.00,2026-11-01\n",
                       "invoice_csv: 2:2: a quote inside a field"}),
    [](const auto& info) { return info.param.name; });

TEST_F(VoucherMoneyTest, ReconciliationNeedsAProviderAndAPeriodInOrder) {
  v1::ReconcileVouchersRequest request;
  request.set_invoice_csv("serial,value,date\n");
  v1::VoucherReconciliation r;
  EXPECT_THAT(
      finance_->ReconcileVouchers(TestServer::As(t::kFinance).get(), request,
                                  &r),
      StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("provider:")));
  EXPECT_THAT(
      Reconcile("serial,value,date\n", &r, "2026-11-30", "2026-11-01"),
      StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("issued_to:")));
  // Officers do not reconcile invoices; finance does.
  request.set_provider("Tesco");
  EXPECT_THAT(finance_->ReconcileVouchers(TestServer::As(t::kOfficerAsc).get(),
                                          request, &r),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// Amounts are read to the penny, without floating point.
TEST(InvoiceCsvTest, AmountsAreExactPence) {
  auto rows = ParseVoucherInvoice(
      "serial,value,date\nA,3.20,2026-11-01\nB,0.07,2026-11-01\n"
      "C,\"1,234.50\",2026-11-01\nD,19.99,2026-11-01\n");
  ASSERT_THAT(rows, IsOk());
  ASSERT_THAT(*rows, SizeIs(4));
  EXPECT_EQ((*rows)[0].value_pence, 320);
  EXPECT_EQ((*rows)[1].value_pence, 7);
  EXPECT_EQ((*rows)[2].value_pence, 123450);
  EXPECT_EQ((*rows)[3].value_pence, 1999);
  EXPECT_EQ((*rows)[3].line, 5);
}

}  // namespace
}  // namespace reciprocity
