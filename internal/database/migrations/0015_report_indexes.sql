-- The reports behind 效能公示, 好差评 and 五创's scores read a period's
-- cases by when they were registered, accepted, completed or went overdue,
-- and its ratings by when they were given. These indexes hold every column
-- those reports read, so a big unit's quarter is read from the index alone
-- rather than row by row from the table.
DROP INDEX cases_unit_created;
CREATE INDEX cases_unit_created ON cases (unit_id, created_at, first_contact_id, department_id);
CREATE INDEX cases_unit_accepted ON cases (unit_id, accepted_at, handler_id, department_id);
CREATE INDEX cases_unit_completed ON cases (unit_id, completed_at, handler_id, department_id, accepted_at, deadline, overdue_at);
CREATE INDEX cases_unit_overdue ON cases (unit_id, overdue_at, handler_id, department_id, completed_at, state);
DROP INDEX ratings_unit_time;
CREATE INDEX ratings_unit_time ON ratings (unit_id, created_at, valid, staff_id, department_id, level, verified, channel);
CREATE INDEX ratings_case ON ratings (case_id, followup, channel);
