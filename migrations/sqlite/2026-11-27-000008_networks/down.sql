DROP TABLE client_networks;
