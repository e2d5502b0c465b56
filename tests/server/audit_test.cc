// The audit log: every mutation leaves a hash-chained event, the database
// refuses to change events, and tampering of each kind is caught.
#include <sqlite3.h>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace t = ::reciprocity::testing;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The test server registers participants first: those are audited too.
    base_ = Verify().events_checked();
    for (int i = 0; i < 5; ++i) {
      v1::SubmitClaimRequest request;
      *request.mutable_claim() = t::BusFareClaim();
      request.set_request_id("audit-" + std::to_string(i));
      v1::Claim claim;
      ASSERT_THAT(server_.claims().SubmitClaim(
                      TestServer::As(t::kParticipant1).get(), request, &claim),
                  IsOk());
    }
  }

  v1::VerifyAuditLogResponse Verify(const std::string& expected_head = "") {
    v1::VerifyAuditLogRequest request;
    request.set_expected_head(expected_head);
    v1::VerifyAuditLogResponse response;
    EXPECT_THAT(audit_->VerifyAuditLog(TestServer::As(t::kAuditor).get(),
                                       request, &response),
                IsOk());
    return response;
  }

  // Runs SQL on the database behind the server's back. Returns SQLite's code.
  int Tamper(const std::string& sql, bool drop_guards = true) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(server_.db_path().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (drop_guards) {
      EXPECT_EQ(sqlite3_exec(db,
                             "DROP TRIGGER audit_events_no_update;"
                             "DROP TRIGGER audit_events_no_delete;",
                             nullptr, nullptr, nullptr),
                SQLITE_OK);
    }
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
    return rc;
  }

  TestServer server_;
  int64_t base_ = 0;  // events before the test's five claims
  std::unique_ptr<v1::AuditService::Stub> audit_ =
      v1::AuditService::NewStub(server_.channel());
};

TEST_F(AuditTest, EveryMutationIsRecordedWithWhoWhatAndWhich) {
  v1::ListAuditEventsRequest request;
  request.set_record("claims/3");
  v1::ListAuditEventsResponse response;
  ASSERT_THAT(audit_->ListAuditEvents(TestServer::As(t::kAuditor).get(),
                                      request, &response),
              IsOk());
  ASSERT_THAT(response.audit_events(), SizeIs(1));
  const auto& event = response.audit_events(0);
  EXPECT_EQ(event.principal(), t::kParticipant1);
  EXPECT_EQ(event.action(), "SubmitClaim");
  EXPECT_EQ(event.request_id(), "audit-2");
  EXPECT_EQ(event.sequence(), base_ + 3);
  EXPECT_THAT(Verify().intact(), true);
  EXPECT_EQ(Verify().events_checked(), base_ + 5);
}

TEST_F(AuditTest, ARetriedRequestAddsNoSecondEvent) {
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = t::BusFareClaim();
  request.set_request_id("audit-0");
  v1::Claim claim;
  ASSERT_THAT(server_.claims().SubmitClaim(
                  TestServer::As(t::kParticipant1).get(), request, &claim),
              IsOk());
  EXPECT_EQ(Verify().events_checked(), base_ + 5);
}

TEST_F(AuditTest, ParticipantsAndOfficersCannotReadTheLog) {
  v1::ListAuditEventsResponse response;
  EXPECT_EQ(
      audit_
          ->ListAuditEvents(TestServer::As(t::kOfficerAsc).get(), {}, &response)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

// Found in use: an auditor of one service area listed every area's events.
// Now they see their areas' records and the council-wide register of
// participants (which every member of staff may read), nothing else.
TEST_F(AuditTest, AnAreaAuditorSeesOnlyTheirAreasEvents) {
  v1::SubmitClaimRequest submit;
  *submit.mutable_claim() = t::BusFareClaim();
  submit.mutable_claim()->set_project(
      "serviceAreas/children-and-families/projects/abss-parent-champions");
  submit.set_request_id("audit-cf");
  v1::Claim cf_claim;
  ASSERT_THAT(server_.claims().SubmitClaim(TestServer::As(t::kOfficerCf).get(),
                                           submit, &cf_claim),
              IsOk());
  ASSERT_EQ(cf_claim.name(), "claims/6");
  v1::CreateSessionRequest session;
  session.mutable_session()->set_project(submit.claim().project());
  session.mutable_session()->set_date("2026-11-18");
  session.mutable_session()->set_start_time("10:00");
  session.mutable_session()->set_end_time("12:00");
  session.mutable_session()->set_online(true);
  session.set_request_id("audit-cf-session");
  v1::Session cf_session;
  ASSERT_THAT(server_.programme().CreateSession(
                  TestServer::As(t::kOfficerCf).get(), session, &cf_session),
              IsOk());

  // Every page, two events at a time.
  auto list_all = [&](const std::string& who) {
    std::vector<std::string> records;
    v1::ListAuditEventsRequest request;
    request.set_page_size(2);
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListAuditEventsResponse response;
      EXPECT_THAT(audit_->ListAuditEvents(TestServer::As(who).get(), request,
                                          &response),
                  IsOk());
      for (const auto& e : response.audit_events()) {
        records.push_back(e.record());
      }
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return records;
  };
  const std::vector<std::string> scoped = list_all(t::kAuditorAsc);
  EXPECT_THAT(scoped, ::testing::IsSupersetOf(
                          {"claims/1", "claims/2", "claims/3", "claims/4",
                           "claims/5", "participants/p-0001"}));
  EXPECT_THAT(scoped, ::testing::Not(::testing::Contains("claims/6")));
  EXPECT_THAT(scoped, ::testing::Not(::testing::Contains(cf_session.name())));
  const std::vector<std::string> everything = list_all(t::kAuditor);
  EXPECT_THAT(everything, ::testing::Contains("claims/6"));
  EXPECT_THAT(everything, ::testing::Contains(cf_session.name()));

  // Naming another area's record, or one that does not exist, gets the same
  // answer (AIP-211).
  for (const char* record : {"claims/6", "claims/999", "batches/1"}) {
    v1::ListAuditEventsRequest request;
    request.set_record(record);
    v1::ListAuditEventsResponse response;
    EXPECT_EQ(audit_
                  ->ListAuditEvents(TestServer::As(t::kAuditorAsc).get(),
                                    request, &response)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << record;
    EXPECT_EQ(response.audit_events_size(), 0) << record;
  }
  v1::ListAuditEventsRequest own;
  own.set_record("claims/3");
  v1::ListAuditEventsResponse response;
  ASSERT_THAT(audit_->ListAuditEvents(TestServer::As(t::kAuditorAsc).get(), own,
                                      &response),
              IsOk());
  EXPECT_THAT(response.audit_events(), SizeIs(1));
}

TEST_F(AuditTest, TheDatabaseRefusesToChangeOrDeleteEvents) {
  EXPECT_EQ(
      Tamper("UPDATE audit_events SET principal_id = 'x' WHERE sequence = 2",
             /*drop_guards=*/false),
      SQLITE_CONSTRAINT);
  EXPECT_EQ(Tamper("DELETE FROM audit_events WHERE sequence = 2",
                   /*drop_guards=*/false),
            SQLITE_CONSTRAINT);
  EXPECT_TRUE(Verify().intact());
}

TEST_F(AuditTest, AFlippedByteIsCaught) {
  ASSERT_EQ(Tamper("UPDATE audit_events SET principal_id = 'participant-2' "
                   "WHERE sequence = 3"),
            SQLITE_OK);
  v1::VerifyAuditLogResponse response = Verify();
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), 3);
  EXPECT_THAT(response.problem(), HasSubstr("changed"));
}

TEST_F(AuditTest, ADeletedEventInTheMiddleIsCaught) {
  ASSERT_EQ(Tamper("DELETE FROM audit_events WHERE sequence = 2"), SQLITE_OK);
  v1::VerifyAuditLogResponse response = Verify();
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), 2);
  EXPECT_THAT(response.problem(), HasSubstr("missing"));
}

TEST_F(AuditTest, TwoSwappedEventsAreCaught) {
  ASSERT_EQ(Tamper("UPDATE audit_events SET sequence = -1 WHERE sequence = 2;"
                   "UPDATE audit_events SET sequence = 2 WHERE sequence = 3;"
                   "UPDATE audit_events SET sequence = 3 WHERE sequence = -1;"),
            SQLITE_OK);
  v1::VerifyAuditLogResponse response = Verify();
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), 2);
}

TEST_F(AuditTest, ACutOffTailIsCaughtAgainstTheHeadRecordedOutside) {
  const std::string head = Verify().head();  // as the log and exports show it
  ASSERT_THAT(head, HasSubstr(absl::StrCat(base_ + 5, ":")));
  ASSERT_EQ(Tamper(absl::StrCat("DELETE FROM audit_events WHERE sequence >= ",
                                base_ + 4)),
            SQLITE_OK);
  EXPECT_TRUE(Verify().intact());  // the chain alone still links up...
  v1::VerifyAuditLogResponse response = Verify(head);
  EXPECT_FALSE(response.intact());  // ...but not to the recorded head
  EXPECT_EQ(response.first_broken_sequence(), base_ + 4);
  EXPECT_THAT(response.problem(), HasSubstr("cut off"));
}

// The last field of a CSV row labelled "AUDIT CHAIN HEAD", as
// `recip audit verify --head-from` reads it.
std::string HeadInFile(const std::string& csv) {
  for (absl::string_view line : absl::StrSplit(csv, "\r\n")) {
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (fields.size() == 6 && fields[1] == "AUDIT CHAIN HEAD") {
      return fields.back();
    }
  }
  return "";
}

// Exports the batch (a fresh request each time) as finance.
std::pair<std::string, std::string> ExportFiles(
    v1::FinanceService::Stub& finance, const std::string& batch,
    const std::string& request_id) {
  v1::ExportBatchRequest request;
  request.set_name(batch);
  request.set_request_id(request_id);
  auto context = TestServer::As(t::kFinance);
  auto reader = finance.ExportBatch(context.get(), request);
  std::pair<std::string, std::string> files;
  v1::ExportBatchResponse piece;
  while (reader->Read(&piece)) {
    files.first += piece.payment_file_chunk();
    files.second += piece.voucher_file_chunk();
  }
  EXPECT_THAT(reader->Finish(), IsOk());
  return files;
}

TEST_F(AuditTest, EveryExportOfABatchCarriesTheHeadFromItsFirstExport) {
  auto finance = v1::FinanceService::NewStub(server_.channel());
  v1::CreateBatchRequest create;
  create.set_request_id("batch-1");
  v1::Batch batch;
  ASSERT_THAT(
      finance->CreateBatch(TestServer::As(t::kFinance).get(), create, &batch),
      IsOk());
  v1::ApproveBatchRequest approve;
  approve.set_name(batch.name());
  approve.set_request_id("approve-1");
  ASSERT_THAT(finance->ApproveBatch(TestServer::As(t::kFinance2).get(), approve,
                                    &batch),
              IsOk());
  const std::string head_before_export = Verify().head();

  const auto first = ExportFiles(*finance, batch.name(), "export-1");
  const std::string head = HeadInFile(first.first);
  EXPECT_EQ(head, head_before_export);
  EXPECT_EQ(HeadInFile(first.second), head);  // the voucher list too

  // The log moves on (a new claim, the export itself), the files do not.
  v1::SubmitClaimRequest more;
  *more.mutable_claim() = t::BusFareClaim();
  more.set_request_id("after-export");
  v1::Claim claim;
  ASSERT_THAT(server_.claims().SubmitClaim(
                  TestServer::As(t::kParticipant1).get(), more, &claim),
              IsOk());
  EXPECT_NE(Verify().head(), head);
  const auto second = ExportFiles(*finance, batch.name(), "export-2");
  EXPECT_EQ(second.first, first.first);
  EXPECT_EQ(second.second, first.second);
  EXPECT_TRUE(Verify(head).intact());

  // Cutting off every event from the exported head onwards still leaves a
  // chain that links up, but the head in the payment file exposes it.
  const int64_t head_sequence = std::stoll(head.substr(0, head.find(':')));
  ASSERT_EQ(Tamper(absl::StrCat("DELETE FROM audit_events WHERE sequence >= ",
                                head_sequence)),
            SQLITE_OK);
  EXPECT_TRUE(Verify().intact());
  v1::VerifyAuditLogResponse response = Verify(HeadInFile(second.first));
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), head_sequence);
  EXPECT_THAT(response.problem(), HasSubstr("cut off"));
}

}  // namespace
}  // namespace reciprocity
