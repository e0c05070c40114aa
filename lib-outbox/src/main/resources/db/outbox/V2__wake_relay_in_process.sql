-- The relay is now woken by the appending process itself (in-process after commit), or by an explicit NOTIFY from
-- an instance whose own relay is not the active one (RelayWakeup). A trigger that NOTIFYs on every insert would
-- serialise all appending commits on PostgreSQL's notification lock.
DROP TRIGGER outbox_notify ON outbox;
DROP FUNCTION outbox_notify();
