-- Whether the warehouse holds any trial: one that watches none skips digest_trials, whose views cost
-- about 20 ms of planning even over empty tables.
SELECT EXISTS (SELECT 1 FROM trials);
