#include "server/store/guards.h"

#include <sqlite3.h>

#include <new>
#include <utility>

namespace reciprocity::store {

TransactionGuard::TransactionGuard(Connection& connection,
                                   const std::string& begin)
    : connection_(connection) {
  connection_.Exec(begin);
}

TransactionGuard::~TransactionGuard() {
  if (!open_ || sqlite3_get_autocommit(connection_.db().getHandle())) return;
  try {
    connection_.Exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
    // The caller already has the error that brought us here; a connection
    // left in a transaction is the caller's to discard.
  } catch (const std::bad_alloc&) {
  }
}

void TransactionGuard::Commit() {
  connection_.Exec("COMMIT");
  open_ = false;
}

void TransactionGuard::Rollback() {
  connection_.Exec("ROLLBACK");
  open_ = false;
}

ReaderLease::~ReaderLease() {
  if (connection_ != nullptr) pool_->Return(connection_);
}

void ReaderPool::Add(std::unique_ptr<Connection> connection) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(connection.get());
  all_.push_back(std::move(connection));
}

ReaderLease ReaderPool::Borrow() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](std::vector<Connection*>* idle) { return !idle->empty(); }, &idle_));
  Connection* connection = idle_.back();
  idle_.pop_back();
  return ReaderLease(this, connection);
}

size_t ReaderPool::IdleCount() const {
  absl::MutexLock lock(&mu_);
  return idle_.size();
}

void ReaderPool::Return(Connection* connection) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(connection);
}

}  // namespace reciprocity::store
