-- The generation of what anonymous visitors see: every write (an unsafe request, a domain event, a
-- finished job) takes the next value, and each process drops its page cache when the value moved.
-- A sequence, not a row: taking a value never waits for another transaction.
CREATE SEQUENCE IF NOT EXISTS page_cache_generation;
