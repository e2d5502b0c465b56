// Upgrading the audit log: events written before schema 8 recorded no
// content. They are reported as unchecked, not as broken, and an event
// without content after ones with it is caught as forged.
#include <sqlite3.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/audit.grpc.pb.h"
#include "server/domain/audit.h"
#include "server/store/schema.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace t = ::reciprocity::testing;

// A database as schema version 7 left it, before events recorded content:
// a participant registered and a claim submitted then, with their events.
constexpr int kSchemaWithoutContent = 7;

void BuildDatabaseWithoutContent(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  auto exec = [&](const std::string& sql) {
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db) << "\n"
        << sql;
  };
  for (int i = 0; i < kSchemaWithoutContent; ++i) {
    exec(std::string(store::Migrations()[i]));
  }
  exec(absl::StrCat("PRAGMA user_version = ", kSchemaWithoutContent));
  v1::Participant participant;
  participant.set_participant_type(v1::PARTICIPANT_TYPE_RESIDENT);
  participant.set_payment_preference(v1::PAYMENT_METHOD_BANK_TRANSFER);
  participant.set_display_name("Registered long ago");
  participant.set_state(v1::PARTICIPANT_STATE_ACTIVE);
  exec(absl::StrCat(
      "INSERT INTO participants VALUES ('p-0009', 1, 1, 1, 1000, 1000, x'",
      absl::BytesToHexString(participant.SerializeAsString()), "')"));
  exec(
      "INSERT INTO claims (participant_id, area_id, project_id, session_date, "
      "state, claimed_total_pence, allowed_total_pence, entered_by, "
      "request_id, create_time_micros, update_time_micros, body) VALUES "
      "('p-0009', 'adult-social-care', 'ld-user-voice', '2026-11-02', 3, 320, "
      "320, 'officer-asc', 'old-2', 2000, 2000, x'')");
  std::string prev_hash;
  int64_t sequence = 0;
  for (const char* record : {"participants/p-0009", "claims/1"}) {
    store::AuditRow event;
    event.sequence = ++sequence;
    event.time_micros = 1000 * sequence;
    event.principal_id = t::kOfficerAsc;
    event.action = sequence == 1 ? "CreateParticipant" : "SubmitClaim";
    event.record = record;
    event.request_id = absl::StrCat("old-", sequence);
    event.prev_hash = prev_hash;
    event.hash = AuditHash(event);  // as schema 7 hashed it: no content
    prev_hash = event.hash;
    exec(absl::StrCat("INSERT INTO audit_events VALUES (", event.sequence, ", ",
                      event.time_micros, ", '", event.principal_id, "', '",
                      event.action, "', '", event.record, "', '",
                      event.request_id, "', '", event.prev_hash, "', '",
                      event.hash, "')"));
  }
  sqlite3_close(db);
}

TEST(AuditUpgradeTest, EventsFromBeforeContentWasRecordedAreReportedNotFailed) {
  TestServer server(absl::CivilDay(2026, 11, 20), [](ServerOptions& options) {
    BuildDatabaseWithoutContent(options.db_path);
  });
  auto audit = v1::AuditService::NewStub(server.channel());
  auto verify = [&] {
    v1::VerifyAuditLogResponse response;
    EXPECT_THAT(
        audit->VerifyAuditLog(TestServer::As(t::kAuditor).get(), {}, &response),
        IsOk());
    return response;
  };
  // The server migrated the file, then registered p-0001 and p-0002.
  v1::VerifyAuditLogResponse response = verify();
  EXPECT_TRUE(response.intact()) << response.problem();
  EXPECT_EQ(response.events_checked(), 4);
  EXPECT_EQ(response.events_without_content(), 2);
  EXPECT_EQ(response.records_checked(), 2);
  EXPECT_EQ(response.records_unchecked(), 2);  // p-0009 and claims/1
  EXPECT_THAT(response.changed_records(), IsEmpty());

  // An old record the service writes again is checked from then on.
  v1::UpdateParticipantRequest update;
  update.mutable_participant()->set_name("participants/p-0009");
  update.mutable_participant()->set_payment_preference(
      v1::PAYMENT_METHOD_VOUCHER);
  update.mutable_update_mask()->add_paths("payment_preference");
  update.set_request_id("update-old");
  v1::Participant updated;
  ASSERT_THAT(server.programme().UpdateParticipant(
                  TestServer::As(t::kOfficerAsc).get(), update, &updated),
              IsOk());
  response = verify();
  EXPECT_TRUE(response.intact()) << response.problem();
  EXPECT_EQ(response.records_checked(), 3);
  EXPECT_EQ(response.records_unchecked(), 1);

  // An event that records no content after events that do is not an old
  // event: the chain was extended by hand.
  const std::string head = response.head();
  store::AuditRow forged;
  forged.sequence = std::stoll(head.substr(0, head.find(':'))) + 1;
  forged.time_micros = 9000;
  forged.principal_id = t::kOfficerAsc;
  forged.action = "SubmitClaim";
  forged.record = "claims/1";
  forged.request_id = "forged";
  forged.prev_hash = head.substr(head.find(':') + 1);
  forged.hash = AuditHash(forged);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(server.db_path().c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(
                db,
                absl::StrCat("INSERT INTO audit_events (sequence, time_micros, "
                             "principal_id, action, record, request_id, "
                             "prev_hash, hash) VALUES (",
                             forged.sequence,
                             ", 9000, 'officer-asc', "
                             "'SubmitClaim', 'claims/1', 'forged', '",
                             forged.prev_hash, "', '", forged.hash, "')")
                    .c_str(),
                nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  response = verify();
  EXPECT_FALSE(response.intact());
  EXPECT_EQ(response.first_broken_sequence(), forged.sequence);
  EXPECT_THAT(response.problem(), HasSubstr("content"));
}

}  // namespace
}  // namespace reciprocity
