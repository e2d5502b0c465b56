// The programme tables of the SQLite store: migration from schema 1,
// constraints, and the sums the domain relies on.
#include <sqlite3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/store/schema.h"
#include "server/store/store.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity::store {
namespace {

using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::StatusIs;
using ::reciprocity::testing::TempDir;
using ::testing::SizeIs;

class ProgrammeStoreTest : public ::testing::Test {
 protected:
  std::string Path() const { return (dir_.path() / "test.db").string(); }
  std::unique_ptr<Store> Open() {
    StoreOptions options;
    options.path = Path();
    auto store = Store::Open(options);
    EXPECT_THAT(store.status(), IsOk());
    return store.ok() ? *std::move(store) : nullptr;
  }
  // A participant p-0001, a session 1 and one entitlement per value given.
  static absl::Status Seed(WriteTransaction& tx) {
    ParticipantRow p;
    p.id = "p-0001";
    p.participant_type = 1;
    p.payment_preference = 1;
    p.state = 1;
    p.body = "x";
    if (auto s = tx.InsertParticipant(p); !s.ok()) return s;
    SessionRow session;
    session.area_id = "adult-social-care";
    session.project_id = "ld-user-voice";
    session.session_date = "2026-11-18";
    session.body = "x";
    return tx.InsertSession(session).status();
  }
  static VoucherEntitlementRow Entitlement(const std::string& date,
                                           int64_t value, int state) {
    VoucherEntitlementRow e;
    e.participant_id = "p-0001";
    e.session_id = 1;
    e.area_id = "adult-social-care";
    e.project_id = "ld-user-voice";
    e.session_date = date;
    e.value_pence = value;
    e.state = state;
    e.body = "x";
    return e;
  }
  TempDir dir_;
};

TEST_F(ProgrammeStoreTest, ASchemaOneDatabaseIsMigratedKeepingItsClaims) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
  const std::string v1(Migrations()[0]);
  ASSERT_EQ(sqlite3_exec(db, v1.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO claims VALUES (1, 'p-0001', 'a', 'b', "
                         "'', '2026-11-18', 3, 320, 320, 0, 'me', 'r', 0, 0, "
                         "'x'); PRAGMA user_version = 1;",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(store->Read([](ReadTransaction& tx) -> absl::Status {
    auto claim = tx.GetClaim(1);
    if (!claim.ok()) return claim.status();
    EXPECT_EQ(claim->allowed_total_pence, 320);
    return tx.CountParticipants().status();
  }),
              IsOk());
}

TEST_F(ProgrammeStoreTest, ConstraintsRefuseBadRowsAndRepeats) {
  auto store = Open();
  ASSERT_THAT(store->Write(Seed), IsOk());
  EXPECT_THAT(store->Write(Seed),
              StatusIs(absl::StatusCode::kAlreadyExists));  // same id
  EXPECT_THAT(store->Write([](WriteTransaction& tx) -> absl::Status {
    AgreementRow a;
    a.participant_id = "p-0001";
    a.session_id = 1;
    a.area_id = "adult-social-care";
    a.category = 3;
    a.up_to_pence = -1;
    a.body = "x";
    return tx.InsertAgreement(a).status();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(store->Write([](WriteTransaction& tx) -> absl::Status {
    return tx.InsertVoucherEntitlement(Entitlement("2026-11-18", -5, 1))
        .status();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  AttendanceRow attendance;
  attendance.session_id = 1;
  attendance.participant_id = "p-0001";
  attendance.minutes = 60;
  auto attend = [&](WriteTransaction& tx) -> absl::Status {
    auto id = tx.InsertVoucherEntitlement(Entitlement("2026-11-18", 0, 3));
    if (!id.ok()) return id.status();
    attendance.entitlement_id = *id;
    return tx.InsertAttendance(attendance);
  };
  EXPECT_THAT(store->Write(attend), IsOk());
  EXPECT_THAT(store->Write(attend), StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(ProgrammeStoreTest, VoucherSumsCountOnlyTheGivenStatesAndDates) {
  auto store = Open();
  ASSERT_THAT(store->Write([](WriteTransaction& tx) -> absl::Status {
    if (auto s = Seed(tx); !s.ok()) return s;
    for (const auto& e :
         {Entitlement("2026-05-01", 1500, 1),
          Entitlement("2026-06-01", 1500, 2), Entitlement("2026-07-01", 0, 3),
          Entitlement("2026-03-01", 1000, 2)}) {
      if (auto id = tx.InsertVoucherEntitlement(e); !id.ok()) {
        return id.status();
      }
    }
    return absl::OkStatus();
  }),
              IsOk());
  ASSERT_THAT(store->Read([](ReadTransaction& tx) -> absl::Status {
    auto sum = tx.SumVoucherPence("p-0001", "adult-social-care", "2026-04-06",
                                  "2027-04-05", {1, 2});
    EXPECT_EQ(*sum, 3000);
    ProgrammeFilter earned;
    earned.state = 1;
    auto rows = tx.ListVoucherEntitlements(earned);
    EXPECT_THAT(*rows, SizeIs(1));
    return absl::OkStatus();
  }),
              IsOk());
}

}  // namespace
}  // namespace reciprocity::store
