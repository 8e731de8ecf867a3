-- reason: the queue of one state across every department (the intake desk's "new", a director's "assigned"), sorted by due time, reads its page from an index instead of sorting every complaint in that state
-- complaints_queue (department_id, state, due_at, id) serves a queue narrowed to
-- departments; without a department filter the planner had only
-- complaints_state (state, id) and sorted the whole state (40k rows at 1M
-- complaints: ~200 ms). This index walks (state, due_at, id) in page order,
-- and its due_at IS NULL range in id order for the second phase of the list.
CREATE INDEX complaints_state_due ON complaints(state, due_at, id);
