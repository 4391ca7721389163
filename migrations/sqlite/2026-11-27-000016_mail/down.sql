DROP TABLE mails;
ALTER TABLE companies DROP COLUMN mail_reply_to;
ALTER TABLE companies DROP COLUMN mail_sender_name;
