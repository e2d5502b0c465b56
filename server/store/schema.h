// The database schema as a list of migrations. Migration i takes a database
// from PRAGMA user_version i to i + 1. Never edit a shipped migration: add a
// new one.
#ifndef RECIPROCITY_SERVER_STORE_SCHEMA_H_
#define RECIPROCITY_SERVER_STORE_SCHEMA_H_

#include <string_view>
#include <vector>

namespace reciprocity::store {

inline const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 0 -> 1: claims, remembered requests, rule-file versions.
      R"sql(
CREATE TABLE claims (
  id INTEGER PRIMARY KEY,
  participant_id TEXT NOT NULL,
  area_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  session_id TEXT NOT NULL DEFAULT '',
  session_date TEXT NOT NULL,
  state INTEGER NOT NULL,
  claimed_total_pence INTEGER NOT NULL CHECK (claimed_total_pence >= 0),
  allowed_total_pence INTEGER NOT NULL CHECK (allowed_total_pence >= 0),
  car_tenths INTEGER NOT NULL DEFAULT 0 CHECK (car_tenths >= 0),
  entered_by TEXT NOT NULL,
  request_id TEXT NOT NULL,
  create_time_micros INTEGER NOT NULL,
  update_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX claims_by_participant ON claims (participant_id, id);
CREATE INDEX claims_by_project ON claims (area_id, project_id, id);
CREATE INDEX claims_by_state ON claims (state, id);
CREATE TABLE requests (
  request_id TEXT PRIMARY KEY,
  principal_id TEXT NOT NULL,
  method TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  response BLOB NOT NULL,
  create_time_micros INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE policy_versions (
  version TEXT PRIMARY KEY,
  area_id TEXT NOT NULL,
  content TEXT NOT NULL,
  loaded_time_micros INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
      // Finance (payment batches). Depends only on the claims table.
      R"sql(
ALTER TABLE claims ADD COLUMN batch_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX claims_by_batch ON claims (batch_id, id);
CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  state INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  involved TEXT NOT NULL,
  create_time_micros INTEGER NOT NULL,
  update_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE TABLE batch_payments (
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  payment_method INTEGER NOT NULL,
  payee TEXT NOT NULL,
  cost_centre TEXT NOT NULL,
  provider TEXT NOT NULL,
  claim_id INTEGER NOT NULL,
  amount_pence INTEGER NOT NULL CHECK (amount_pence >= 0),
  -- The export's order; one B-tree serves as both table and index.
  PRIMARY KEY (batch_id, payment_method, payee, cost_centre, provider,
               claim_id)
) WITHOUT ROWID;
)sql",
  };
  return kMigrations;
}

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_SCHEMA_H_
