-- The whole client domain of the design document (ER diagram), plus the tables it
-- references. Conventions: every tenant table has tenant_id; every client sub-resource
-- has (tenant_id, client_id) with a composite foreign key to clients(tenant_id, id), so a
-- row can never point at another tenant's client. Money is integer minor units (cents);
-- trips store mileage in hundredths of a mile and rate_per_mile in mills (1/1000), so
-- that rates like 0.655 per mile stay exact. JSON is TEXT. Times are UTC.

CREATE TABLE companies (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role INTEGER NOT NULL CHECK (role IN (1, 2, 3)),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE UNIQUE INDEX users_tenant_id ON users (tenant_id, id);

CREATE TABLE clients (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    company_name TEXT,
    email TEXT,
    phone TEXT,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'prospect', 'on_hold', 'inactive', 'former')),
    hourly_rate BIGINT NOT NULL DEFAULT 0 CHECK (hourly_rate >= 0),
    contract_start_date DATE,
    contract_end_date DATE,
    lead BOOLEAN NOT NULL DEFAULT FALSE,
    type TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    CHECK (contract_end_date IS NULL OR contract_start_date IS NULL OR contract_end_date >= contract_start_date)
);
CREATE UNIQUE INDEX clients_tenant_id ON clients (tenant_id, id);
CREATE INDEX clients_tenant_name ON clients (tenant_id, name);

CREATE TABLE client_contacts (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    email TEXT,
    phone TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT FALSE,
    billing BOOLEAN NOT NULL DEFAULT FALSE,
    technical BOOLEAN NOT NULL DEFAULT FALSE,
    important BOOLEAN NOT NULL DEFAULT FALSE,
    department TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_contacts_scope ON client_contacts (tenant_id, client_id);
CREATE UNIQUE INDEX client_contacts_one_primary ON client_contacts (client_id) WHERE "primary" AND deleted_at IS NULL;

CREATE TABLE client_locations (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    address_line_1 TEXT,
    city TEXT,
    state TEXT,
    zip_code TEXT,
    phone TEXT,
    hours TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_locations_scope ON client_locations (tenant_id, client_id);
CREATE UNIQUE INDEX client_locations_one_primary ON client_locations (client_id) WHERE "primary" AND deleted_at IS NULL;

CREATE TABLE client_addresses (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    address_line_1 TEXT NOT NULL,
    address_line_2 TEXT,
    city TEXT,
    state TEXT,
    zip_code TEXT,
    country TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_addresses_scope ON client_addresses (tenant_id, client_id);
CREATE UNIQUE INDEX client_addresses_one_primary ON client_addresses (client_id) WHERE "primary" AND deleted_at IS NULL;

CREATE TABLE assets (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    type TEXT,
    status TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX assets_scope ON assets (tenant_id, client_id);

CREATE TABLE client_licenses (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    type TEXT,
    vendor TEXT,
    license_key TEXT,
    seats INTEGER NOT NULL DEFAULT 1 CHECK (seats >= 1),
    cost BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    purchase_date DATE,
    expiry_date DATE,
    renewal_date DATE,
    auto_renewal BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CHECK (expiry_date IS NULL OR purchase_date IS NULL OR expiry_date >= purchase_date)
);
CREATE INDEX client_licenses_scope ON client_licenses (tenant_id, client_id);

CREATE TABLE client_credentials (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    asset_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    type TEXT,
    username TEXT,
    password TEXT,
    url TEXT,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_credentials_scope ON client_credentials (tenant_id, client_id);

CREATE TABLE client_racks (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    units INTEGER NOT NULL DEFAULT 42 CHECK (units BETWEEN 1 AND 60),
    depth TEXT,
    power_specs TEXT,
    cooling_specs TEXT,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_racks_scope ON client_racks (tenant_id, client_id);

CREATE TABLE client_certificates (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    type TEXT,
    domain TEXT,
    issuer TEXT,
    issue_date DATE,
    expiry_date DATE,
    auto_renewal BOOLEAN NOT NULL DEFAULT FALSE,
    cost BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CHECK (expiry_date IS NULL OR issue_date IS NULL OR expiry_date >= issue_date)
);
CREATE INDEX client_certificates_scope ON client_certificates (tenant_id, client_id);

CREATE TABLE client_domains (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    domain_name TEXT NOT NULL,
    registrar TEXT,
    registration_date DATE,
    expiry_date DATE,
    auto_renewal BOOLEAN NOT NULL DEFAULT FALSE,
    cost BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    nameservers TEXT NOT NULL DEFAULT '[]',
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_domains_scope ON client_domains (tenant_id, client_id);
CREATE UNIQUE INDEX client_domains_unique_name ON client_domains (tenant_id, domain_name) WHERE deleted_at IS NULL;

CREATE TABLE client_services (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    asset_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    type TEXT,
    status TEXT,
    port INTEGER CHECK (port IS NULL OR port BETWEEN 1 AND 65535),
    protocol TEXT,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_services_scope ON client_services (tenant_id, client_id);

CREATE TABLE client_documents (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    category TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    content TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_documents_scope ON client_documents (tenant_id, client_id);

CREATE TABLE client_files (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    description TEXT,
    category TEXT,
    file_path TEXT NOT NULL,
    file_size BIGINT NOT NULL CHECK (file_size >= 0),
    mime_type TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_files_scope ON client_files (tenant_id, client_id);

CREATE TABLE client_calendar_events (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT,
    start_date TIMESTAMP NOT NULL,
    end_date TIMESTAMP,
    all_day BOOLEAN NOT NULL DEFAULT FALSE,
    location TEXT,
    type TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX client_calendar_events_scope ON client_calendar_events (tenant_id, client_id);

CREATE TABLE client_trips (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    purpose TEXT NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,
    mileage BIGINT NOT NULL DEFAULT 0 CHECK (mileage >= 0),
    rate_per_mile BIGINT NOT NULL DEFAULT 0 CHECK (rate_per_mile >= 0),
    total_cost BIGINT NOT NULL DEFAULT 0 CHECK (total_cost >= 0),
    billable BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX client_trips_scope ON client_trips (tenant_id, client_id);

CREATE TABLE client_recurring_tickets (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    frequency TEXT NOT NULL CHECK (frequency IN ('daily', 'weekly', 'biweekly', 'monthly', 'quarterly', 'semiannually', 'yearly')),
    next_run_date TIMESTAMP NOT NULL,
    last_run_date TIMESTAMP,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    template_data TEXT NOT NULL DEFAULT '{}',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX client_recurring_tickets_scope ON client_recurring_tickets (tenant_id, client_id);

CREATE TABLE tickets (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT NOT NULL,
    client_id BIGINT NOT NULL,
    contact_id BIGINT REFERENCES client_contacts(id) ON DELETE SET NULL,
    location_id BIGINT REFERENCES client_locations(id) ON DELETE SET NULL,
    asset_id BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    recurring_ticket_id BIGINT REFERENCES client_recurring_tickets(id) ON DELETE SET NULL,
    assignee_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    details TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'waiting', 'resolved', 'closed')),
    priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    FOREIGN KEY (tenant_id, client_id) REFERENCES clients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX tickets_scope ON tickets (tenant_id, client_id);

CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    tenant_id BIGINT REFERENCES companies(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    client_id BIGINT REFERENCES clients(id) ON DELETE SET NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT,
    action TEXT NOT NULL,
    changes TEXT NOT NULL DEFAULT '{}',
    ip TEXT,
    user_agent TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_scope ON audit_log (tenant_id, client_id, created_at);
CREATE INDEX audit_log_tenant_time ON audit_log (tenant_id, created_at);
