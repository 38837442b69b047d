-- The queue machine's ticket (排队叫号) on a case: its number, when it was
-- drawn, when the counter called it and, when the machine knows it, when
-- the counter finished serving it; the waiting and handling times
-- efficiency discloses beside 好评率.
ALTER TABLE cases ADD COLUMN ticket_no TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN ticket_at {{timestamp}};
ALTER TABLE cases ADD COLUMN called_at {{timestamp}};
ALTER TABLE cases ADD COLUMN finished_at {{timestamp}};
CREATE INDEX cases_unit_ticket ON cases (unit_id, ticket_at);
