-- A client's networks (LAN, guest Wi-Fi, VPN…), deployed at one of its locations.
CREATE TABLE client_networks (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    network TEXT NOT NULL,
    vlan INTEGER CHECK (vlan BETWEEN 1 AND 4094),
    gateway TEXT,
    dhcp_range TEXT,
    dns_servers TEXT,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_networks_scope ON client_networks (tenant_id, client_id);
