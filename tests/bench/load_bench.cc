// load_bench: a load generator for a running reciprocityd, and a fast way to
// fill a database with claims for read benchmarks.
//
//   load_bench run --target 127.0.0.1:50051 --token T --method submit
//              --inflight 64 --seconds 5
//   load_bench seed --db reciprocity.db --count 1000000
//
// `run` keeps --inflight calls outstanding for --seconds (after a short
// warm-up) through the callback API and prints one line:
//   RESULT method=submit inflight=64 calls=... calls_per_s=... p50_us=...
//          p99_us=... errors=...
// Methods: health (grpc.health.v1.Health/Check, the cost of gRPC alone),
// submit (SubmitClaim, each call with a new request id), get (GetClaim of a
// random claims/1..--claims) and list (ListClaims, first page of 50).
//
// `seed` writes --count claims straight through the Store in large
// transactions (no policy engine, no gRPC), so the read benchmarks can run
// against a million claims without waiting for a million SubmitClaim calls.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/byte_buffer.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "reciprocity/v1/claims.pb.h"
#include "reciprocity/v1/programme.grpc.pb.h"
#include "server/store/store.h"

namespace reciprocity::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct RunOptions {
  std::string target = "127.0.0.1:50051";
  std::string token;
  std::string method = "health";
  int inflight = 16;
  double seconds = 5;
  double warmup_seconds = 1;
  int channels = 2;
  int64_t claims = 0;  // for get: ids 1..claims
  std::string participant_prefix = "participants/b-";
  int participants = 1000;
  int first_day = 0;  // submit: days before yesterday of the first claims
};

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}
grpc::ByteBuffer ToBuffer(const google::protobuf::Message& message) {
  return ToBuffer(message.SerializeAsString());
}

// Today's date as YYYY-MM-DD, less 1 + `days_back` days so that a claim is
// never for a session in the server's future near midnight.
std::string Yesterday(int days_back = 0) {
  return absl::FormatTime("%Y-%m-%d",
                          absl::Now() - absl::Hours(24 * (1 + days_back)),
                          absl::UTCTimeZone());
}

// Builds the request bytes for call number `n`.
class RequestMaker {
 public:
  explicit RequestMaker(const RunOptions& o) : o_(o) {
    for (int i = 0; i < kDays; ++i) dates_.push_back(Yesterday(i));
  }

  std::string Path() const {
    if (o_.method == "health") return "/grpc.health.v1.Health/Check";
    if (o_.method == "submit")
      return "/reciprocity.v1.ClaimService/SubmitClaim";
    if (o_.method == "get") return "/reciprocity.v1.ClaimService/GetClaim";
    return "/reciprocity.v1.ClaimService/ListClaims";
  }

  grpc::ByteBuffer Make(uint64_t n, std::mt19937_64& rng) const {
    // An empty HealthCheckRequest: the server as a whole.
    if (o_.method == "health") return ToBuffer(std::string());
    if (o_.method == "get") {
      v1::GetClaimRequest r;
      r.set_name(absl::StrCat(
          "claims/",
          1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(o_.claims))));
      return ToBuffer(r);
    }
    if (o_.method == "list") {
      v1::ListClaimsRequest r;
      r.set_page_size(50);
      return ToBuffer(r);
    }
    v1::SubmitClaimRequest r;
    r.set_request_id(absl::StrCat("bench-", run_id_, "-", n));
    v1::Claim* claim = r.mutable_claim();
    claim->set_participant(absl::StrCat(
        o_.participant_prefix, n % static_cast<uint64_t>(o_.participants)));
    claim->set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
    // One fare a participant a day, a day further back each time every
    // participant has claimed: the same fare twice on one day would go to a
    // person as a possible repeat, which real claimants seldom send.
    const uint64_t round = n / static_cast<uint64_t>(o_.participants);
    claim->set_session_date(
        dates_[(round + static_cast<uint64_t>(o_.first_day)) % dates_.size()]);
    v1::ClaimLine* line = claim->add_lines();
    line->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
    line->set_amount_pence(320);
    line->set_description("Bus there and back");
    return ToBuffer(r);
  }

 private:
  static constexpr int kDays = 365;
  const RunOptions& o_;
  std::vector<std::string> dates_;
  const int64_t run_id_ = absl::ToUnixMicros(absl::Now());
};

// One outstanding call at a time, reissued until the run ends. Completions
// for one slot never overlap, so its latency vector needs no lock.
class Run {
 public:
  explicit Run(const RunOptions& o) : o_(o), maker_(o) {
    for (int i = 0; i < std::max(1, o.channels); ++i) {
      grpc::ChannelArguments args;
      // A separate connection per channel rather than one shared subchannel.
      args.SetInt("load_bench.channel", i);
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      auto channel = grpc::CreateCustomChannel(
          o.target, grpc::InsecureChannelCredentials(), args);
      stubs_.push_back(std::make_unique<grpc::GenericStub>(channel));
    }
    slots_.resize(static_cast<size_t>(o.inflight));
    for (size_t i = 0; i < slots_.size(); ++i) {
      slots_[i].rng.seed(i * 7919 + 1);
      slots_[i].stub = stubs_[i % stubs_.size()].get();
    }
  }

  void Go() {
    start_ = Clock::now();
    measure_from_ = start_ + ToDuration(o_.warmup_seconds);
    end_ = measure_from_ + ToDuration(o_.seconds);
    for (Slot& s : slots_) Issue(s);
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [&] { return finished_ == slots_.size(); });
    Report();
  }

 private:
  struct Slot {
    grpc::GenericStub* stub = nullptr;
    std::unique_ptr<grpc::ClientContext> context;
    grpc::ByteBuffer request;
    grpc::ByteBuffer response;
    Clock::time_point sent;
    std::vector<uint32_t> latencies_us;
    int64_t errors = 0;
    std::string first_error;
    std::mt19937_64 rng;
  };

  static Clock::duration ToDuration(double seconds) {
    return std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(seconds));
  }

  void Issue(Slot& s) {
    s.context = std::make_unique<grpc::ClientContext>();
    if (!o_.token.empty() && o_.method != "health") {
      s.context->AddMetadata("authorization",
                             absl::StrCat("Bearer ", o_.token));
    }
    s.context->set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(30));
    s.request = maker_.Make(counter_.fetch_add(1), s.rng);
    s.response.Clear();
    s.sent = Clock::now();
    s.stub->UnaryCall(s.context.get(), maker_.Path(), grpc::StubOptions(),
                      &s.request, &s.response,
                      [this, &s](grpc::Status status) { Done(s, status); });
  }

  void Done(Slot& s, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    if (s.sent >= measure_from_ && now <= end_) {
      if (status.ok()) {
        s.latencies_us.push_back(static_cast<uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(now - s.sent)
                .count()));
      } else {
        if (s.errors++ == 0) {
          s.first_error =
              absl::StrCat(status.error_code(), " ", status.error_message());
        }
      }
    }
    if (now < end_) {
      Issue(s);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (++finished_ == slots_.size()) done_cv_.notify_one();
  }

  void Report() {
    std::vector<uint32_t> all;
    int64_t errors = 0;
    std::string first_error;
    for (const Slot& s : slots_) {
      all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
      errors += s.errors;
      if (first_error.empty()) first_error = s.first_error;
    }
    std::sort(all.begin(), all.end());
    auto pct = [&](double p) -> uint32_t {
      if (all.empty()) return 0;
      size_t i = static_cast<size_t>(p * static_cast<double>(all.size() - 1));
      return all[i];
    };
    std::cout << "RESULT method=" << o_.method << " inflight=" << o_.inflight
              << " calls=" << all.size() << " calls_per_s="
              << static_cast<int64_t>(static_cast<double>(all.size()) /
                                      o_.seconds)
              << " p50_us=" << pct(0.50) << " p99_us=" << pct(0.99)
              << " errors=" << errors << std::endl;
    if (errors > 0) std::cerr << "first error: " << first_error << std::endl;
  }

  const RunOptions& o_;
  const RequestMaker maker_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::vector<Slot> slots_;
  std::atomic<uint64_t> counter_{0};
  Clock::time_point start_, measure_from_, end_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  size_t finished_ = 0;
};

// Registers the participants `submit` claims for (claims need a registered
// participant). Repeat runs against the same server find them there already.
bool RegisterParticipants(const RunOptions& o) {
  auto stub = v1::ProgrammeService::NewStub(
      grpc::CreateChannel(o.target, grpc::InsecureChannelCredentials()));
  const std::string prefix = "participants/";
  std::string id_prefix = o.participant_prefix;
  if (id_prefix.rfind(prefix, 0) == 0) id_prefix.erase(0, prefix.size());
  std::atomic<int> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::thread> workers;
  for (int t = 0; t < 16; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < o.participants && ok; i = next++) {
        v1::CreateParticipantRequest request;
        request.set_participant_id(absl::StrCat(id_prefix, i));
        request.set_request_id(absl::StrCat("bench-register-", id_prefix, i));
        v1::Participant* p = request.mutable_participant();
        p->set_participant_type(v1::PARTICIPANT_TYPE_RESIDENT);
        p->set_payment_preference(v1::PAYMENT_METHOD_BANK_TRANSFER);
        p->set_display_name("Bench");
        p->set_contact("none");
        grpc::ClientContext context;
        context.AddMetadata("authorization", absl::StrCat("Bearer ", o.token));
        v1::Participant out;
        grpc::Status status = stub->CreateParticipant(&context, request, &out);
        if (!status.ok() &&
            status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
          std::cerr << "registering participants: " << status.error_code()
                    << " " << status.error_message() << std::endl;
          ok = false;
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return ok;
}

struct SeedOptions {
  std::string db;
  int64_t count = 10000;
  int participants = 5000;
  int per_transaction = 20000;
};

// A decided claim much like one SubmitClaim stores.
std::string ClaimBody(int64_t i, const std::string& participant,
                      const std::string& date, int64_t now_micros) {
  v1::Claim claim;
  claim.set_participant(participant);
  claim.set_project("serviceAreas/adult-social-care/projects/ld-user-voice");
  claim.set_session_date(date);
  v1::ClaimLine* line = claim.add_lines();
  line->set_category(v1::EXPENSE_CATEGORY_PUBLIC_TRANSPORT);
  line->set_amount_pence(320);
  line->set_description("Bus there and back");
  v1::Decision* decision = claim.mutable_decision();
  v1::LineDecision* decided = decision->add_lines();
  decided->set_allowed_pence(320);
  decided->set_outcome(v1::LINE_OUTCOME_PAID_IN_FULL);
  decided->set_rule("travel.public_transport");
  decided->set_reason("Public transport fares are paid in full.");
  decision->set_allowed_total_pence(320);
  decision->set_policy_version("adult-social-care@seed");
  claim.set_state(v1::CLAIM_STATE_APPROVED);
  claim.set_claimed_total_pence(320);
  claim.set_entered_by("officer-seed");
  claim.set_request_id(absl::StrCat("seed-", i));
  claim.mutable_create_time()->set_seconds(now_micros / 1000000);
  v1::ClaimEvent* event = claim.add_history();
  event->mutable_time()->set_seconds(now_micros / 1000000);
  event->set_actor("officer-seed");
  event->set_action("submitted on the participant's behalf");
  event->set_state(v1::CLAIM_STATE_APPROVED);
  return claim.SerializeAsString();
}

int Seed(const SeedOptions& o) {
  store::StoreOptions options;
  options.path = o.db;
  auto store = store::Store::Open(options);
  if (!store.ok()) {
    std::cerr << "seed: " << store.status() << "\n";
    return 1;
  }
  const absl::Time start = absl::Now();
  const std::string date = Yesterday();
  const int64_t now = absl::ToUnixMicros(start);
  for (int64_t done = 0; done < o.count;) {
    const int64_t n = std::min<int64_t>(o.per_transaction, o.count - done);
    absl::Status s = (*store)->Write([&](store::WriteTransaction& tx) {
      for (int64_t i = done; i < done + n; ++i) {
        store::ClaimRow row;
        row.participant_id = absl::StrCat("s-", i % o.participants);
        row.area_id = "adult-social-care";
        row.project_id = "ld-user-voice";
        row.session_date = date;
        row.state = v1::CLAIM_STATE_APPROVED;
        row.claimed_total_pence = 320;
        row.allowed_total_pence = 320;
        row.entered_by = "officer-seed";
        row.request_id = absl::StrCat("seed-", i);
        row.create_time_micros = now;
        row.update_time_micros = now;
        row.body = ClaimBody(
            i, absl::StrCat("participants/", row.participant_id), date, now);
        auto id = tx.InsertClaim(row);
        if (!id.ok()) return id.status();
      }
      return absl::OkStatus();
    });
    if (!s.ok()) {
      std::cerr << "seed: " << s << "\n";
      return 1;
    }
    done += n;
  }
  std::cout << "seeded " << o.count << " claims in "
            << absl::ToDoubleSeconds(absl::Now() - start) << " s" << std::endl;
  return 0;
}

}  // namespace
}  // namespace reciprocity::bench

int main(int argc, char** argv) {
  using namespace reciprocity::bench;
  CLI::App app{
      "load_bench: load generator and database seeder for reciprocityd"};
  app.require_subcommand(1);

  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "measure one method");
  run_cmd->add_option("--target", run.target, "server host:port");
  run_cmd->add_option("--token", run.token, "bearer token (not for health)");
  run_cmd->add_option("--method", run.method, "health, submit, get or list")
      ->check(CLI::IsMember({"health", "submit", "get", "list"}));
  run_cmd->add_option("--inflight", run.inflight, "calls kept outstanding");
  run_cmd->add_option("--seconds", run.seconds, "measured time");
  run_cmd->add_option("--warmup", run.warmup_seconds, "unmeasured lead-in");
  run_cmd->add_option("--channels", run.channels, "connections to use");
  run_cmd->add_option("--claims", run.claims, "get: pick ids in 1..claims");
  run_cmd->add_option("--participants", run.participants,
                      "submit: spread claims over this many participants");
  run_cmd
      ->add_option("--first-day", run.first_day,
                   "submit: days before yesterday to date the first claims "
                   "(later ones go further back, one claim a participant "
                   "a day; give each run on one database its own days)")
      ->check(CLI::Range(0, 364));

  SeedOptions seed;
  CLI::App* seed_cmd = app.add_subcommand("seed", "fill a database");
  seed_cmd->add_option("--db", seed.db, "database file")->required();
  seed_cmd->add_option("--count", seed.count, "claims to write");
  seed_cmd->add_option("--participants", seed.participants,
                       "spread over this many participants");

  CLI11_PARSE(app, argc, argv);
  if (seed_cmd->parsed()) return Seed(seed);
  if (run.method == "get" && run.claims <= 0) {
    std::cerr << "run --method get needs --claims N\n";
    return 2;
  }
  if (run.method == "submit" && !RegisterParticipants(run)) return 1;
  Run(run).Go();
  return 0;
}
