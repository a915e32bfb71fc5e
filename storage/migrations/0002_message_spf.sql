-- Mailhook history, version 2: the SPF result of each transaction, so a
-- replay that rebuilds a delivery in another format sends the envelope the
-- original carried.
ALTER TABLE messages ADD COLUMN spf_result TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN spf_domain TEXT NOT NULL DEFAULT '';
