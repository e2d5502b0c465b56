// RAII for the SQLite store's connections: a transaction that rolls back
// unless committed, and read connections borrowed from a pool and returned
// on every path. Internal to the SQLite store.
#ifndef RECIPROCITY_SERVER_STORE_GUARDS_H_
#define RECIPROCITY_SERVER_STORE_GUARDS_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "server/store/sqlite_connection.h"

namespace reciprocity::store {

// One transaction on a connection. The constructor runs `begin` ("BEGIN",
// "BEGIN IMMEDIATE"); the destructor rolls the transaction back unless
// Commit or Rollback ran, or SQLite already ended it (after disk full, for
// example), swallowing any error: it runs while unwinding too.
class TransactionGuard {
 public:
  // Throws SQLite::Exception when `begin` fails (nothing to roll back then).
  TransactionGuard(Connection& connection, const std::string& begin);
  TransactionGuard(const TransactionGuard&) = delete;
  TransactionGuard& operator=(const TransactionGuard&) = delete;
  ~TransactionGuard();

  // COMMIT. Throws SQLite::Exception on failure; the destructor then rolls
  // back whatever is left open.
  void Commit();
  // ROLLBACK. Throws SQLite::Exception on failure.
  void Rollback();

 private:
  Connection& connection_;
  bool open_ = true;
};

class ReaderPool;

// A read connection borrowed from a ReaderPool; the destructor returns it.
class ReaderLease {
 public:
  ReaderLease(ReaderLease&& other) noexcept
      : pool_(other.pool_), connection_(other.connection_) {
    other.connection_ = nullptr;
  }
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ~ReaderLease();

  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_; }

 private:
  friend class ReaderPool;
  ReaderLease(ReaderPool* pool, Connection* connection)
      : pool_(pool), connection_(connection) {}

  ReaderPool* pool_;
  Connection* connection_;  // null once moved from
};

// Read connections, each used by one caller at a time. Thread-safe. Must
// outlive every lease it gives.
class ReaderPool {
 public:
  ReaderPool() = default;
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  void Add(std::unique_ptr<Connection> connection) ABSL_LOCKS_EXCLUDED(mu_);
  // Waits until a connection is idle and lends it. Never call with no
  // connection added: it would wait for ever.
  ReaderLease Borrow() ABSL_LOCKS_EXCLUDED(mu_);
  // How many connections are idle now.
  size_t IdleCount() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class ReaderLease;
  void Return(Connection* connection) ABSL_LOCKS_EXCLUDED(mu_);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> all_ ABSL_GUARDED_BY(mu_);
  std::vector<Connection*> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_GUARDS_H_
