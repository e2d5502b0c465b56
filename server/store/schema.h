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
      // 1 -> 2: the append-only, hash-chained audit log.
      R"sql(
CREATE TABLE audit_events (
  sequence INTEGER PRIMARY KEY,
  time_micros INTEGER NOT NULL,
  principal_id TEXT NOT NULL,
  action TEXT NOT NULL,
  record TEXT NOT NULL,
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_by_record ON audit_events (record, sequence);
CREATE INDEX audit_by_principal ON audit_events (principal_id, sequence);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
)sql",
      // 2 -> 3: the programme: participants, sessions, agreements,
      // attendance and voucher entitlements.
      R"sql(
CREATE TABLE participants (
  id TEXT PRIMARY KEY,
  participant_type INTEGER NOT NULL CHECK (participant_type > 0),
  payment_preference INTEGER NOT NULL CHECK (payment_preference > 0),
  state INTEGER NOT NULL CHECK (state > 0),
  create_time_micros INTEGER NOT NULL,
  update_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX participants_by_state ON participants (state, id);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  area_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  session_date TEXT NOT NULL,
  creche_provided INTEGER NOT NULL CHECK (creche_provided IN (0, 1)),
  create_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX sessions_by_project ON sessions (area_id, project_id, id);
CREATE INDEX sessions_by_date ON sessions (session_date, id);
CREATE TABLE agreements (
  id INTEGER PRIMARY KEY,
  participant_id TEXT NOT NULL REFERENCES participants (id),
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  area_id TEXT NOT NULL,
  category INTEGER NOT NULL CHECK (category > 0),
  up_to_pence INTEGER NOT NULL CHECK (up_to_pence >= 0),
  create_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX agreements_by_participant ON agreements (participant_id, session_id);
CREATE INDEX agreements_by_session ON agreements (session_id, id);
CREATE TABLE voucher_entitlements (
  id INTEGER PRIMARY KEY,
  participant_id TEXT NOT NULL REFERENCES participants (id),
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  area_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  session_date TEXT NOT NULL,
  value_pence INTEGER NOT NULL CHECK (value_pence >= 0),
  state INTEGER NOT NULL CHECK (state > 0),
  create_time_micros INTEGER NOT NULL,
  update_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX voucher_entitlements_by_participant
  ON voucher_entitlements (participant_id, area_id, session_date);
CREATE INDEX voucher_entitlements_by_state ON voucher_entitlements (state, id);
CREATE TABLE attendances (
  session_id INTEGER NOT NULL REFERENCES sessions (id),
  participant_id TEXT NOT NULL REFERENCES participants (id),
  minutes INTEGER NOT NULL CHECK (minutes >= 0),
  entitlement_id INTEGER NOT NULL REFERENCES voucher_entitlements (id),
  recorded_by TEXT NOT NULL,
  create_time_micros INTEGER NOT NULL,
  PRIMARY KEY (session_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX claims_by_participant_session ON claims (participant_id, session_id);
)sql",
      // 3 -> 4: finance (payment batches). Depends only on the claims table.
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
      // 4 -> 5: running totals per project and per participant, by session
      // date and state, kept by triggers, so that the budget and mileage
      // sums each claim needs read at most a year of days instead of every
      // claim; and an index for listing an area's claims in id order.
      R"sql(
CREATE TABLE project_day_totals (
  area_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  session_date TEXT NOT NULL,
  state INTEGER NOT NULL,
  allowed_total_pence INTEGER NOT NULL,
  PRIMARY KEY (area_id, project_id, session_date, state)
) WITHOUT ROWID;
CREATE TABLE participant_day_totals (
  participant_id TEXT NOT NULL,
  session_date TEXT NOT NULL,
  state INTEGER NOT NULL,
  car_tenths INTEGER NOT NULL,
  PRIMARY KEY (participant_id, session_date, state)
) WITHOUT ROWID;
INSERT INTO project_day_totals
  SELECT area_id, project_id, session_date, state, SUM(allowed_total_pence)
  FROM claims GROUP BY area_id, project_id, session_date, state;
INSERT INTO participant_day_totals
  SELECT participant_id, session_date, state, SUM(car_tenths)
  FROM claims GROUP BY participant_id, session_date, state;
CREATE TRIGGER claims_add_to_totals AFTER INSERT ON claims BEGIN
  INSERT INTO project_day_totals VALUES (NEW.area_id, NEW.project_id,
      NEW.session_date, NEW.state, NEW.allowed_total_pence)
    ON CONFLICT DO UPDATE SET allowed_total_pence =
      allowed_total_pence + excluded.allowed_total_pence;
  INSERT INTO participant_day_totals VALUES (NEW.participant_id,
      NEW.session_date, NEW.state, NEW.car_tenths)
    ON CONFLICT DO UPDATE SET car_tenths = car_tenths + excluded.car_tenths;
END;
CREATE TRIGGER claims_remove_from_totals AFTER DELETE ON claims BEGIN
  UPDATE project_day_totals
    SET allowed_total_pence = allowed_total_pence - OLD.allowed_total_pence
    WHERE area_id = OLD.area_id AND project_id = OLD.project_id
      AND session_date = OLD.session_date AND state = OLD.state;
  UPDATE participant_day_totals SET car_tenths = car_tenths - OLD.car_tenths
    WHERE participant_id = OLD.participant_id
      AND session_date = OLD.session_date AND state = OLD.state;
END;
CREATE TRIGGER claims_move_totals AFTER UPDATE OF participant_id, area_id,
    project_id, session_date, state, allowed_total_pence, car_tenths
    ON claims BEGIN
  UPDATE project_day_totals
    SET allowed_total_pence = allowed_total_pence - OLD.allowed_total_pence
    WHERE area_id = OLD.area_id AND project_id = OLD.project_id
      AND session_date = OLD.session_date AND state = OLD.state;
  UPDATE participant_day_totals SET car_tenths = car_tenths - OLD.car_tenths
    WHERE participant_id = OLD.participant_id
      AND session_date = OLD.session_date AND state = OLD.state;
  INSERT INTO project_day_totals VALUES (NEW.area_id, NEW.project_id,
      NEW.session_date, NEW.state, NEW.allowed_total_pence)
    ON CONFLICT DO UPDATE SET allowed_total_pence =
      allowed_total_pence + excluded.allowed_total_pence;
  INSERT INTO participant_day_totals VALUES (NEW.participant_id,
      NEW.session_date, NEW.state, NEW.car_tenths)
    ON CONFLICT DO UPDATE SET car_tenths = car_tenths + excluded.car_tenths;
END;
CREATE INDEX claims_by_area ON claims (area_id, id);
)sql",
      // 5 -> 6: security. The audit chain head each batch's exports carry,
      // and settings such as the retention period. Self-contained: new
      // tables only.
      R"sql(
CREATE TABLE batch_audit_heads (
  batch_id INTEGER PRIMARY KEY,
  audit_head TEXT NOT NULL,
  record_time_micros INTEGER NOT NULL
);
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL,
  update_time_micros INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
      // 6 -> 7: the repeat checks look up a participant's claims by day, so
      // that claims with no recorded session are compared too; a claim's
      // session is always on its day, so the day index serves both.
      R"sql(
DROP INDEX claims_by_participant_session;
CREATE INDEX claims_by_participant_day ON claims (participant_id, session_date);
)sql",
      // 7 -> 8: audit events record what the records they wrote contain,
      // so that changing a record outside the service shows. An event's
      // content_hash covers its rows in audit_contents; events written
      // before keep an empty one (and their hashes).
      R"sql(
ALTER TABLE audit_events ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
CREATE TABLE audit_contents (
  sequence INTEGER NOT NULL,
  record TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  PRIMARY KEY (sequence, record)
) WITHOUT ROWID;
CREATE TRIGGER audit_contents_no_update BEFORE UPDATE ON audit_contents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_contents_no_delete BEFORE DELETE ON audit_contents
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
)sql",
      // 8 -> 9: whether a participant's child used the session's crèche, as
      // the register says. NULL: not said (every attendance recorded before).
      R"sql(
ALTER TABLE attendances ADD COLUMN creche_used INTEGER
  CHECK (creche_used IN (0, 1));
)sql",
      // 9 -> 10: standing agreements. An agreement may cover a project and a
      // range of dates instead of one session (both in its body), so its
      // session_id may be NULL. SQLite cannot relax NOT NULL in place: the
      // table is rebuilt with the same columns and rows, so every record's
      // content (and its audit hash) stays as it was.
      R"sql(
CREATE TABLE agreements_rebuilt (
  id INTEGER PRIMARY KEY,
  participant_id TEXT NOT NULL REFERENCES participants (id),
  session_id INTEGER REFERENCES sessions (id),
  area_id TEXT NOT NULL,
  category INTEGER NOT NULL CHECK (category > 0),
  up_to_pence INTEGER NOT NULL CHECK (up_to_pence >= 0),
  create_time_micros INTEGER NOT NULL,
  body BLOB NOT NULL
);
INSERT INTO agreements_rebuilt (id, participant_id, session_id, area_id,
    category, up_to_pence, create_time_micros, body)
  SELECT id, participant_id, session_id, area_id, category, up_to_pence,
    create_time_micros, body FROM agreements;
DROP TABLE agreements;
ALTER TABLE agreements_rebuilt RENAME TO agreements;
CREATE INDEX agreements_by_participant ON agreements (participant_id, session_id);
CREATE INDEX agreements_by_session ON agreements (session_id, id);
)sql",
      // 10 -> 11: vouchers earned count against their project's budget, so
      // every claim sums its project's vouchers for the financial year: an
      // index keeps that to the year's rows, however many are stored.
      R"sql(
CREATE INDEX voucher_entitlements_by_project
  ON voucher_entitlements (area_id, project_id, session_date);
)sql",
      // 11 -> 12: corrections. Why an attendance was last corrected, by whom
      // and when ('' and 0 for one never corrected). Sessions keep their
      // cancellation in their body; vouchers their correction note.
      R"sql(
ALTER TABLE attendances ADD COLUMN correction_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE attendances ADD COLUMN corrected_by TEXT NOT NULL DEFAULT '';
ALTER TABLE attendances ADD COLUMN update_time_micros INTEGER NOT NULL
  DEFAULT 0;
)sql",
  };
  return kMigrations;
}

}  // namespace reciprocity::store

#endif  // RECIPROCITY_SERVER_STORE_SCHEMA_H_
