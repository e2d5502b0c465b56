// Operations over a real server: online backups under load, restore, the
// Prometheus endpoint and what the log lines carry.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reciprocity/v1/admin.grpc.pb.h"
#include "reciprocity/v1/finance.grpc.pb.h"
#include "server/domain/names.h"
#include "server/store/maintenance.h"
#include "server/store/store.h"
#include "tests/util/status_matchers.h"
#include "tests/util/test_server.h"

namespace reciprocity {
namespace {

namespace t = ::reciprocity::testing;
using ::reciprocity::testing::BusFareClaim;
using ::reciprocity::testing::IsOk;
using ::reciprocity::testing::TempDir;
using ::reciprocity::testing::TestServer;
using ::testing::HasSubstr;
using ::testing::Not;

grpc::Status Backup(TestServer& server, const std::string& who,
                    const std::string& file_name,
                    v1::BackupDatabaseResponse* response) {
  auto stub = v1::AdminService::NewStub(server.channel());
  v1::BackupDatabaseRequest request;
  request.set_file_name(file_name);
  request.set_request_id("backup-" + file_name);
  return stub->BackupDatabase(TestServer::As(who).get(), request, response);
}

grpc::Status Submit(TestServer& server, const std::string& participant,
                    const std::string& date, const std::string& request_id,
                    v1::Claim* out) {
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = BusFareClaim(participant, date);
  request.set_request_id(request_id);
  return server.claims().SubmitClaim(TestServer::As(t::kOfficerAsc).get(),
                                     request, out);
}

TEST(BackupTest, OnlyAdministratorsMayBackUp) {
  TestServer server;
  v1::BackupDatabaseResponse response;
  for (const char* who :
       {t::kOfficerAsc, t::kFinance, t::kAuditor, t::kParticipant1}) {
    EXPECT_EQ(Backup(server, who, "x.db", &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << who;
  }
  EXPECT_TRUE(Backup(server, t::kAdministrator, "x.db", &response).ok());
}

TEST(BackupTest, NamesStayInsideTheBackupDirectoryAndAreNeverReused) {
  TestServer server;
  v1::BackupDatabaseResponse response;
  for (const char* bad : {"../escape.db", "/tmp/x.db", ".hidden", "a/b.db"}) {
    EXPECT_EQ(Backup(server, t::kAdministrator, bad, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT)
        << bad;
  }
  ASSERT_TRUE(Backup(server, t::kAdministrator, "once.db", &response).ok());
  EXPECT_EQ(
      Backup(server, t::kAdministrator, "once.db", &response).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
  // Default names carry the UTC time.
  ASSERT_TRUE(Backup(server, t::kAdministrator, "", &response).ok());
  EXPECT_THAT(response.path(), HasSubstr("reciprocity-20261120T"));
}

TEST(BackupTest, CopyTakenUnderLoadHoldsEveryAcknowledgedClaimAndRestores) {
  TestServer server;
  std::mutex mu;
  std::vector<v1::Claim> acknowledged;  // in ack order
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop; ++i) {
        v1::Claim out;
        grpc::Status s = Submit(
            server, w % 2 ? "participants/p-0001" : "participants/p-0002",
            "2026-11-18", absl::StrCat("load-", w, "-", i), &out);
        if (!s.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(out);
      }
    });
  }
  auto acknowledged_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return acknowledged.size();
  };
  while (acknowledged_count() < 200) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::vector<v1::Claim> before;
  {
    std::lock_guard<std::mutex> lock(mu);
    before = acknowledged;
  }
  v1::BackupDatabaseResponse response;
  grpc::Status backup =
      Backup(server, t::kAdministrator, "under-load.db", &response);
  const size_t after_backup = acknowledged_count();
  // Submits carry on after the copy too.
  while (acknowledged_count() < after_backup + 20) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& w : writers) w.join();
  ASSERT_TRUE(backup.ok()) << backup.error_message();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(response.path(), (server.backup_dir() / "under-load.db").string());
  EXPECT_GE(response.claim_count(), static_cast<int64_t>(before.size()));
  EXPECT_EQ(response.schema_version(), store::Store::CurrentSchemaVersion());

  // The copy passes integrity_check (VerifyDatabase runs it).
  auto verified = store::VerifyDatabase(response.path());
  ASSERT_THAT(verified.status(), IsOk());
  EXPECT_EQ(verified->claim_count, response.claim_count());

  // Restore into a fresh file and read every claim acknowledged before the
  // backup began: present, and as it was acknowledged.
  TempDir restore_dir;
  const std::string restored = (restore_dir.path() / "restored.db").string();
  auto restore = store::RestoreDatabase(response.path(), restored);
  ASSERT_THAT(restore.status(), IsOk());
  store::StoreOptions options;
  options.path = restored;
  auto store = store::Store::Open(options);
  ASSERT_THAT(store.status(), IsOk());
  absl::Status read = (*store)->Read([&](store::ReadTransaction& tx) {
    for (const v1::Claim& claim : before) {
      auto id = ParseClaimName("name", claim.name());
      if (!id.ok()) return id.status();
      auto row = tx.GetClaim(*id);
      if (!row.ok()) return row.status();
      EXPECT_EQ(row->request_id, claim.request_id()) << claim.name();
      EXPECT_EQ(row->state, claim.state()) << claim.name();
      EXPECT_EQ(row->allowed_total_pence,
                claim.decision().allowed_total_pence())
          << claim.name();
      EXPECT_EQ("participants/" + row->participant_id, claim.participant())
          << claim.name();
    }
    return absl::OkStatus();
  });
  EXPECT_THAT(read, IsOk());
}

TEST(BackupTest, RestoreRefusesADamagedFile) {
  TempDir dir;
  const std::string bad = (dir.path() / "bad.db").string();
  {
    std::ofstream out(bad);
    out << "this is not a database";
  }
  auto restore =
      store::RestoreDatabase(bad, (dir.path() / "target.db").string());
  EXPECT_FALSE(restore.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "target.db"));
}

// One HTTP/1.1 GET; returns the whole response.
std::string HttpGet(int port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return "";
  }
  const std::string request =
      absl::StrCat("GET ", path,
                   " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  (void)!write(fd, request.data(), request.size());
  std::string response;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) {
    response.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return response;
}

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses and checks the text exposition format, failing the test on any
// line that breaks it.
std::vector<Sample> ParseExposition(const std::string& body) {
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
  static const std::regex kType(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")(,[a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*")*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN))");
  static const std::regex kLabel(
      R"(([a-zA-Z_][a-zA-Z0-9_]*)="((\\.|[^"\\])*)\")");
  std::map<std::string, std::string> types;
  std::set<std::string> helped;
  std::vector<Sample> samples;
  EXPECT_FALSE(body.empty());
  EXPECT_EQ(body.back(), '\n');
  for (absl::string_view view : absl::StrSplit(body, '\n', absl::SkipEmpty())) {
    const std::string line(view);
    std::smatch m;
    if (std::regex_match(line, m, kHelp)) {
      EXPECT_TRUE(helped.insert(m[1]).second) << "HELP twice: " << line;
    } else if (std::regex_match(line, m, kType)) {
      EXPECT_TRUE(helped.count(m[1])) << "TYPE before HELP: " << line;
      EXPECT_TRUE(types.emplace(m[1], m[2]).second) << "TYPE twice: " << line;
    } else if (std::regex_match(line, m, kSample)) {
      Sample sample;
      sample.name = m[1];
      const std::string labels = m[2];
      for (auto it = std::sregex_iterator(labels.begin(), labels.end(), kLabel);
           it != std::sregex_iterator(); ++it) {
        sample.labels[(*it)[1]] = (*it)[2];
      }
      const std::string value = m[7];
      if (value == "+Inf") {
        sample.value = std::numeric_limits<double>::infinity();
      } else {
        EXPECT_TRUE(absl::SimpleAtod(value, &sample.value)) << line;
      }
      std::string family = sample.name;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (!types.count(family) && absl::EndsWith(family, suffix)) {
          family = family.substr(0, family.size() - strlen(suffix));
        }
      }
      EXPECT_TRUE(types.count(family)) << "sample without TYPE: " << line;
      samples.push_back(sample);
    } else {
      ADD_FAILURE() << "not exposition format: " << line;
    }
  }
  return samples;
}

TEST(MetricsTest, ScrapeIsPrometheusTextWithCountersHistogramsAndGauges) {
  TestServer server;
  constexpr int kSubmitted = 5;
  for (int i = 0; i < kSubmitted; ++i) {
    v1::Claim out;
    ASSERT_TRUE(Submit(server, "participants/p-0001",
                       absl::StrCat("2026-11-1", i), absl::StrCat("m-", i),
                       &out)
                    .ok());
  }
  v1::GetClaimRequest get;
  get.set_name("claims/999999");
  v1::Claim ignored;
  server.claims().GetClaim(TestServer::As("").get(), get, &ignored);
  // One draft batch paying every claim.
  auto finance = v1::FinanceService::NewStub(server.channel());
  v1::CreateBatchRequest create;
  create.set_request_id("metrics-batch");
  v1::Batch batch;
  ASSERT_THAT(finance->CreateBatch(TestServer::As(testing::kFinance).get(),
                                   create, &batch),
              IsOk());

  const std::string response =
      HttpGet(server.server().metrics_port(), "/metrics");
  const size_t split = response.find("\r\n\r\n");
  ASSERT_NE(split, std::string::npos) << response;
  const std::string head = response.substr(0, split);
  EXPECT_THAT(head, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(head, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  std::vector<Sample> samples = ParseExposition(response.substr(split + 4));

  const std::string submit = "/reciprocity.v1.ClaimService/SubmitClaim";
  double submit_ok = 0, unauthenticated = 0, claims = 0, rule_files = 0;
  double count = -1, sum = -1;
  double commits = -1, writes = -1, commit_seconds = -1, failed_commits = -1;
  double waiting = -1;
  std::vector<std::pair<double, double>> buckets;      // (le, cumulative)
  std::map<std::string, double> batches, batch_pence;  // by state
  for (const Sample& s : samples) {
    auto label = [&](const char* key) {
      auto it = s.labels.find(key);
      return it == s.labels.end() ? std::string() : it->second;
    };
    if (s.name == "reciprocity_rpc_requests_total" &&
        label("method") == submit && label("code") == "OK") {
      submit_ok = s.value;
    }
    if (s.name == "reciprocity_rpc_requests_total" &&
        label("code") == "UNAUTHENTICATED") {
      unauthenticated += s.value;
    }
    if (s.name == "reciprocity_claims") claims += s.value;
    if (s.name == "reciprocity_batches") batches[label("state")] = s.value;
    if (s.name == "reciprocity_batch_pence") {
      batch_pence[label("state")] = s.value;
    }
    if (s.name == "reciprocity_rule_file_info") {
      EXPECT_THAT(label("version"), HasSubstr(label("area") + "@"));
      rule_files += s.value;
    }
    if (s.name == "reciprocity_store_writes_per_commit_count")
      commits = s.value;
    if (s.name == "reciprocity_store_writes_per_commit_sum") writes = s.value;
    if (s.name == "reciprocity_store_commit_duration_seconds_count") {
      commit_seconds = s.value;
    }
    if (s.name == "reciprocity_store_failed_commits_total") {
      failed_commits = s.value;
    }
    if (s.name == "reciprocity_store_waiting_writes") waiting = s.value;
    if (label("method") != submit) continue;
    if (s.name == "reciprocity_rpc_duration_seconds_bucket") {
      double le = 0;
      if (label("le") == "+Inf") {
        le = std::numeric_limits<double>::infinity();
      } else {
        ASSERT_TRUE(absl::SimpleAtod(label("le"), &le)) << label("le");
      }
      buckets.emplace_back(le, s.value);
    }
    if (s.name == "reciprocity_rpc_duration_seconds_count") count = s.value;
    if (s.name == "reciprocity_rpc_duration_seconds_sum") sum = s.value;
  }
  EXPECT_EQ(submit_ok, kSubmitted);
  EXPECT_EQ(unauthenticated, 1);
  EXPECT_EQ(claims, kSubmitted);
  EXPECT_EQ(rule_files, 3);
  // Every state is listed, empty ones as 0; the draft pays five £3.20 fares.
  EXPECT_EQ(batches, (std::map<std::string, double>{{"DRAFT", 1},
                                                    {"APPROVED", 0},
                                                    {"EXPORTED", 0},
                                                    {"PAID", 0},
                                                    {"CANCELLED", 0}}));
  EXPECT_EQ(batch_pence["DRAFT"], kSubmitted * 320);
  EXPECT_EQ(batch_pence["PAID"], 0);
  // The write path: at least the five claims and the batch were committed,
  // each commit timed once, none lost, nothing waiting now.
  EXPECT_GE(writes, kSubmitted + 1);
  EXPECT_GE(commits, 1);
  EXPECT_LE(commits, writes);
  EXPECT_EQ(commit_seconds, commits);
  EXPECT_EQ(failed_commits, 0);
  EXPECT_EQ(waiting, 0);
  ASSERT_GE(buckets.size(), 2u);
  for (size_t i = 1; i < buckets.size(); ++i) {
    EXPECT_LT(buckets[i - 1].first, buckets[i].first) << "le ascending";
    EXPECT_LE(buckets[i - 1].second, buckets[i].second) << "cumulative";
  }
  EXPECT_TRUE(std::isinf(buckets.back().first));
  EXPECT_EQ(buckets.back().second, count);
  EXPECT_EQ(count, kSubmitted);
  EXPECT_GT(sum, 0);

  EXPECT_THAT(HttpGet(server.server().metrics_port(), "/other"),
              HasSubstr("404"));
}

TEST(LoggingTest, RpcLinesCarryTheRequestIdAndNoPersonalData) {
  TestServer server;
  InitLogging("info");
  ::testing::internal::CaptureStderr();
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = BusFareClaim();
  request.mutable_claim()->mutable_lines(0)->set_description(
      "Bus with Jane Example from 1 Acacia Avenue");
  request.set_request_id("req-log-1");
  v1::Claim out;
  grpc::Status s = server.claims().SubmitClaim(
      TestServer::As(t::kParticipant1).get(), request, &out);
  const std::string log = ::testing::internal::GetCapturedStderr();
  InitLogging("warn");
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(log, HasSubstr("event=rpc"));
  EXPECT_THAT(log, HasSubstr("request_id=req-log-1"));
  EXPECT_THAT(log, HasSubstr("principal=participant-1"));
  EXPECT_THAT(log, ::testing::ContainsRegex("ts=[0-9-]+T[0-9:.]+Z"));
  EXPECT_THAT(log, Not(HasSubstr("Jane")));
  EXPECT_THAT(log, Not(HasSubstr("Acacia")));
}

// The request as it reached the server, whatever it holds, may not write
// what looks like a log event: nothing from a caller who has not
// authenticated is logged as sent, and no field is logged at any length.
TEST(LoggingTest, NoRequestFieldIsLoggedBeforeAuthentication) {
  TestServer server;
  const std::string forged =
      absl::StrCat("x event=audit_head head=42:", std::string(64, 'a'), " y");
  InitLogging("info");
  ::testing::internal::CaptureStderr();
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = BusFareClaim();
  request.set_request_id(forged);
  v1::Claim out;
  grpc::Status s =
      server.claims().SubmitClaim(TestServer::As("").get(), request, &out);
  v1::ReviewClaimLineRequest review;
  review.set_name("claims/1");
  review.set_request_id(forged);
  grpc::Status r = server.claims().ReviewClaimLine(
      TestServer::As("nobody").get(), review, &out);
  const std::string log = ::testing::internal::GetCapturedStderr();
  InitLogging("warn");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(r.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(log, HasSubstr("code=UNAUTHENTICATED"));
  EXPECT_THAT(log, Not(HasSubstr("audit_head")));
  EXPECT_THAT(log, Not(HasSubstr("head=")));
  EXPECT_THAT(log, Not(HasSubstr("request_id=")));
}

TEST(LoggingTest, AnInvalidRequestIdIsNotLoggedAsSent) {
  TestServer server;
  InitLogging("info");
  ::testing::internal::CaptureStderr();
  v1::SubmitClaimRequest request;
  *request.mutable_claim() = BusFareClaim();
  request.set_request_id(std::string(65000, 'x'));
  v1::Claim out;
  grpc::Status s = server.claims().SubmitClaim(
      TestServer::As(t::kParticipant1).get(), request, &out);
  request.set_request_id("two words event=audit_head");
  grpc::Status spaced = server.claims().SubmitClaim(
      TestServer::As(t::kParticipant1).get(), request, &out);
  const std::string log = ::testing::internal::GetCapturedStderr();
  InitLogging("warn");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(spaced.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // On failure, show the start of the log only: it may be long.
  EXPECT_THAT(log, HasSubstr("code=INVALID_ARGUMENT")) << log.substr(0, 500);
  EXPECT_EQ(log.find("xxxxxxxx"), std::string::npos) << log.substr(0, 500);
  EXPECT_EQ(log.find("audit_head"), std::string::npos) << log.substr(0, 500);
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    EXPECT_LT(line.size(), 1000u) << line.substr(0, 200);
  }
}

TEST(LoggingTest, EveryFieldIsBoundedAndOnOneLine) {
  InitLogging("info");
  ::testing::internal::CaptureStderr();
  LogInfo("test_event",
          {{"long", std::string(70000, 'v')}, {"control", "a\rb\tc\nd\x01e"}});
  const std::string log = ::testing::internal::GetCapturedStderr();
  InitLogging("warn");
  // On failure, show the start of the log only: it may be long.
  EXPECT_LT(log.size(), 1000u) << log.substr(0, 500);
  EXPECT_THAT(log.substr(0, 500), HasSubstr("event=test_event long=\"vvvv"));
  EXPECT_THAT(log.substr(0, 1000), HasSubstr("70000 bytes"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
  EXPECT_EQ(log.find_first_of("\r\t\x01"), std::string::npos) << log;
}

}  // namespace
}  // namespace reciprocity
