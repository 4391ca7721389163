DROP INDEX clients_live_by_added;
DROP INDEX clients_live_by_rate;
DROP INDEX clients_live_by_status;
DROP INDEX clients_live_by_email;
DROP INDEX clients_live_by_company;
