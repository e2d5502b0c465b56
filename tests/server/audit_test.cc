// The audit log: every mutation leaves a hash-chained event, the database
// refuses to change events, and tampering of each kind is caught: with the
// events themselves, and with the records they describe.
#include "server/domain/audit.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
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
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
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

  // Runs one statement behind the server's back with `blob` bound to its
  // only parameter. Returns SQLite's code.
  int TamperWithBlob(const std::string& sql, const std::string& blob) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(server_.db_path().c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_blob(stmt, 1, blob.data(), static_cast<int>(blob.size()),
                        SQLITE_TRANSIENT);
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rc;
  }

  // The first column of the first row of `sql`, read from the file.
  std::string ReadFromFile(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(server_.db_path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr),
              SQLITE_OK);
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      value.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                   static_cast<size_t>(sqlite3_column_bytes(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }

  v1::Claim ClaimInFile(int id) {
    v1::Claim claim;
    EXPECT_TRUE(claim.ParseFromString(
        ReadFromFile(absl::StrCat("SELECT body FROM claims WHERE id = ", id))));
    return claim;
  }

  v1::Claim GetClaim(const std::string& name) {
    v1::GetClaimRequest request;
    request.set_name(name);
    v1::Claim claim;
    EXPECT_THAT(server_.claims().GetClaim(TestServer::As(t::kOfficerAsc).get(),
                                          request, &claim),
                IsOk());
    return claim;
  }

  // A draft batch of the approved claims, by finance.
  v1::Batch CreateBatch() {
    auto finance = v1::FinanceService::NewStub(server_.channel());
    v1::CreateBatchRequest create;
    create.set_request_id("batch-1");
    v1::Batch batch;
    EXPECT_THAT(
        finance->CreateBatch(TestServer::As(t::kFinance).get(), create, &batch),
        IsOk());
    return batch;
  }

  // The chain itself holds; only `record`, changed in the database, gives
  // the change away.
  void ExpectOnlyRecordChanged(const std::string& record) {
    v1::VerifyAuditLogResponse response = Verify();
    EXPECT_FALSE(response.intact());
    EXPECT_THAT(response.changed_records(), ElementsAre(record));
    EXPECT_THAT(response.problem(), HasSubstr(record));
    EXPECT_THAT(response.problem(), HasSubstr("outside the service"));
    EXPECT_EQ(response.first_broken_sequence(), 0);
    EXPECT_EQ(response.events_checked(), Verify().events_checked());
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
  // The chain alone still links up, though the claims the cut events wrote
  // are now written by no event...
  v1::VerifyAuditLogResponse shortened = Verify();
  EXPECT_EQ(shortened.first_broken_sequence(), 0);
  EXPECT_THAT(shortened.changed_records(), ElementsAre("claims/4", "claims/5"));
  v1::VerifyAuditLogResponse response = Verify(head);
  EXPECT_FALSE(response.intact());  // ...and it does not reach the head
  EXPECT_EQ(response.first_broken_sequence(), base_ + 4);
  EXPECT_THAT(response.problem(), HasSubstr("cut off"));
}

TEST_F(AuditTest, RecordsAsTheServiceWroteThemVerify) {
  CreateBatch();
  v1::VerifyAuditLogResponse response = Verify();
  EXPECT_TRUE(response.intact()) << response.problem();
  EXPECT_THAT(response.changed_records(), IsEmpty());
  // Two participants, five claims, the batch and its payments.
  EXPECT_EQ(response.records_checked(), 2 + 5 + 2);
  EXPECT_EQ(response.events_without_content(), 0);
  EXPECT_EQ(response.records_unchecked(), 0);
}

// Each record below is changed in the database where the service keeps it,
// in its columns and its body alike, so that the service itself now shows
// the change: no event is touched, yet verify names the record.
TEST_F(AuditTest, AFlippedClaimAmountIsCaught) {
  v1::Claim body = ClaimInFile(3);
  ASSERT_EQ(body.claimed_total_pence(), 320);
  body.mutable_lines(0)->set_amount_pence(32000);
  body.set_claimed_total_pence(32000);
  body.mutable_decision()->mutable_lines(0)->set_allowed_pence(32000);
  body.mutable_decision()->set_allowed_total_pence(32000);
  ASSERT_EQ(TamperWithBlob("UPDATE claims SET claimed_total_pence = 32000, "
                           "allowed_total_pence = 32000, body = ? WHERE id = 3",
                           body.SerializeAsString()),
            SQLITE_OK);
  ASSERT_EQ(GetClaim("claims/3").decision().allowed_total_pence(), 32000);
  ExpectOnlyRecordChanged("claims/3");
}

TEST_F(AuditTest, AClaimMovedToAnotherParticipantIsCaught) {
  v1::Claim body = ClaimInFile(2);
  body.set_participant("participants/p-0002");
  ASSERT_EQ(TamperWithBlob("UPDATE claims SET participant_id = 'p-0002', "
                           "body = ? WHERE id = 2",
                           body.SerializeAsString()),
            SQLITE_OK);
  ASSERT_EQ(GetClaim("claims/2").participant(), "participants/p-0002");
  ExpectOnlyRecordChanged("claims/2");
}

TEST_F(AuditTest, AChangedPayeeIsCaught) {
  const v1::Batch batch = CreateBatch();
  const std::string id = batch.name().substr(batch.name().find('/') + 1);
  ASSERT_EQ(ReadFromFile(absl::StrCat(
                "SELECT COUNT(DISTINCT payee) FROM batch_payments WHERE "
                "batch_id = ",
                id)),
            "1");
  ASSERT_EQ(Tamper(absl::StrCat("UPDATE batch_payments SET payee = "
                                "'someone-else' WHERE batch_id = ",
                                id)),
            SQLITE_OK);
  ExpectOnlyRecordChanged(batch.name() + "/payments");
}

TEST_F(AuditTest, AChangedBatchTotalIsCaught) {
  const v1::Batch batch = CreateBatch();
  const std::string id = batch.name().substr(batch.name().find('/') + 1);
  v1::Batch body;
  ASSERT_TRUE(body.ParseFromString(
      ReadFromFile(absl::StrCat("SELECT body FROM batches WHERE id = ", id))));
  ASSERT_GT(body.total_pence(), 0);
  body.set_total_pence(body.total_pence() * 100);
  ASSERT_EQ(TamperWithBlob(absl::StrCat("UPDATE batches SET body = ? WHERE "
                                        "id = ",
                                        id),
                           body.SerializeAsString()),
            SQLITE_OK);
  ExpectOnlyRecordChanged(batch.name());
}

TEST_F(AuditTest, AChangedParticipantIsCaught) {
  ASSERT_EQ(Tamper("UPDATE participants SET payment_preference = "
                   "payment_preference + 1 WHERE id = 'p-0002'",
                   /*drop_guards=*/false),
            SQLITE_OK);
  ExpectOnlyRecordChanged("participants/p-0002");
}

TEST_F(AuditTest, RewritingWhatAnEventRecordedIsCaught) {
  ASSERT_EQ(Tamper("UPDATE claims SET allowed_total_pence = 0 WHERE id = 3;"
                   "DROP TRIGGER audit_contents_no_update;"
                   "UPDATE audit_contents SET content_hash = 'forged' WHERE "
                   "record = 'claims/3'"),
            SQLITE_OK);
  v1::VerifyAuditLogResponse response = Verify();
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), base_ + 3);
  EXPECT_THAT(response.problem(), HasSubstr("content recorded for event"));
}

TEST_F(AuditTest, ADeletedOrSlippedInRecordIsCaught) {
  ASSERT_EQ(Tamper("DELETE FROM claims WHERE id = 4", /*drop_guards=*/false),
            SQLITE_OK);
  ExpectOnlyRecordChanged("claims/4");
  ASSERT_EQ(Tamper("INSERT INTO claims SELECT 4, participant_id, area_id, "
                   "project_id, session_id, session_date, state, "
                   "claimed_total_pence, allowed_total_pence, car_tenths, "
                   "entered_by, request_id, create_time_micros, "
                   "update_time_micros, body, batch_id FROM claims WHERE id = "
                   "5",
                   /*drop_guards=*/false),
            SQLITE_OK);
  ExpectOnlyRecordChanged("claims/4");  // now a copy of claims/5
  ASSERT_EQ(Tamper("UPDATE claims SET id = 99 WHERE id = 4",
                   /*drop_guards=*/false),
            SQLITE_OK);
  v1::VerifyAuditLogResponse response = Verify();
  EXPECT_FALSE(response.intact());
  EXPECT_THAT(response.changed_records(), ElementsAre("claims/4", "claims/99"));
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
  v1::Batch batch = CreateBatch();
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
  // The chain links up; the batch is no longer as its last event left it.
  EXPECT_EQ(Verify().first_broken_sequence(), 0);
  EXPECT_THAT(Verify().changed_records(), ::testing::Contains(batch.name()));
  v1::VerifyAuditLogResponse response = Verify(HeadInFile(second.first));
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), head_sequence);
  EXPECT_THAT(response.problem(), HasSubstr("cut off"));
}

}  // namespace
}  // namespace reciprocity
