// Portable schema for both backends; written by hand to match migrations/*/ (the
// `primary` and `type` columns keep their SQL names through sql_name).

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        email -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        mileage_rate -> BigInt,
        disabled_features -> Text,
        reveal_reason_required -> Bool,
        ticket_prefix -> Text,
        invoice_prefix -> Text,
        billing_address -> Nullable<Text>,
        tax_id -> Nullable<Text>,
        quote_prefix -> Text,
        time_zone -> Text,
        catch_up -> Text,
        expiry_leads -> Text,
        quiet_auto_renew -> Bool,
        overdue_reminder_days -> Nullable<Integer>,
        mail_sender_name -> Nullable<Text>,
        mail_reply_to -> Nullable<Text>,
        require_2fa -> Integer,
        suspended_at -> Nullable<Timestamp>,
        sign_in_code -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        restricted -> Bool,
        disabled_at -> Nullable<Timestamp>,
        last_login_at -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    clients (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
        company_name -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        status -> Text,
        hourly_rate -> BigInt,
        contract_start_date -> Nullable<Date>,
        contract_end_date -> Nullable<Date>,
        lead -> Bool,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        net_terms -> Integer,
        currency -> Text,
        notes -> Nullable<Text>,
        alert -> Nullable<Text>,
    }
}

diesel::table! {
    client_contacts (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        name -> Text,
        title -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        #[sql_name = "primary"]
        is_primary -> Bool,
        billing -> Bool,
        technical -> Bool,
        important -> Bool,
        department -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        mobile -> Nullable<Text>,
        location_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
    }
}

diesel::table! {
    client_locations (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        name -> Text,
        description -> Nullable<Text>,
        address_line_1 -> Nullable<Text>,
        city -> Nullable<Text>,
        state -> Nullable<Text>,
        zip_code -> Nullable<Text>,
        phone -> Nullable<Text>,
        hours -> Nullable<Text>,
        #[sql_name = "primary"]
        is_primary -> Bool,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        address_line_2 -> Nullable<Text>,
        country -> Nullable<Text>,
    }
}

diesel::table! {
    client_addresses (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        name -> Text,
        address_line_1 -> Text,
        address_line_2 -> Nullable<Text>,
        city -> Nullable<Text>,
        state -> Nullable<Text>,
        zip_code -> Nullable<Text>,
        country -> Nullable<Text>,
        #[sql_name = "primary"]
        is_primary -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    assets (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        location_id -> Nullable<BigInt>,
        name -> Text,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        status -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        make -> Nullable<Text>,
        model -> Nullable<Text>,
        serial -> Nullable<Text>,
        os -> Nullable<Text>,
        ip_address -> Nullable<Text>,
        mac_address -> Nullable<Text>,
        purchase_date -> Nullable<Date>,
        warranty_expiry -> Nullable<Date>,
        contact_id -> Nullable<BigInt>,
        network_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        rack_id -> Nullable<BigInt>,
        rack_unit -> Nullable<Integer>,
        rack_height -> Nullable<Integer>,
        hostname -> Nullable<Text>,
        interfaces -> Nullable<Text>,
    }
}

diesel::table! {
    client_licenses (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        location_id -> Nullable<BigInt>,
        name -> Text,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        vendor -> Nullable<Text>,
        license_key -> Nullable<Text>,
        seats -> Integer,
        cost -> BigInt,
        purchase_date -> Nullable<Date>,
        expiry_date -> Nullable<Date>,
        renewal_date -> Nullable<Date>,
        auto_renewal -> Bool,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_credentials (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        location_id -> Nullable<BigInt>,
        asset_id -> Nullable<BigInt>,
        name -> Text,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        username -> Nullable<Text>,
        password -> Nullable<Text>,
        url -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        otp_secret -> Nullable<Text>,
    }
}

diesel::table! {
    client_racks (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        location_id -> Nullable<BigInt>,
        name -> Text,
        units -> Integer,
        depth -> Nullable<Text>,
        power_specs -> Nullable<Text>,
        cooling_specs -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_certificates (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        name -> Text,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        domain -> Nullable<Text>,
        issuer -> Nullable<Text>,
        issue_date -> Nullable<Date>,
        expiry_date -> Nullable<Date>,
        auto_renewal -> Bool,
        cost -> BigInt,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_domains (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        domain_name -> Text,
        registrar -> Nullable<Text>,
        registration_date -> Nullable<Date>,
        expiry_date -> Nullable<Date>,
        auto_renewal -> Bool,
        cost -> BigInt,
        nameservers -> Text,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_services (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        location_id -> Nullable<BigInt>,
        asset_id -> Nullable<BigInt>,
        name -> Text,
        description -> Nullable<Text>,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        status -> Nullable<Text>,
        port -> Nullable<Integer>,
        protocol -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_documents (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        location_id -> Nullable<BigInt>,
        name -> Text,
        description -> Nullable<Text>,
        category -> Nullable<Text>,
        tags -> Text,
        content -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_files (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        location_id -> Nullable<BigInt>,
        name -> Text,
        description -> Nullable<Text>,
        category -> Nullable<Text>,
        file_path -> Text,
        file_size -> BigInt,
        mime_type -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        original_name -> Text,
    }
}

diesel::table! {
    client_calendar_events (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        contact_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        title -> Text,
        description -> Nullable<Text>,
        start_date -> Timestamp,
        end_date -> Nullable<Timestamp>,
        all_day -> Bool,
        location -> Nullable<Text>,
        #[sql_name = "type"]
        kind -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_trips (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        user_id -> Nullable<BigInt>,
        purpose -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        mileage -> BigInt,
        rate_per_mile -> BigInt,
        total_cost -> BigInt,
        billable -> Bool,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        invoice_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    client_recurring_tickets (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        frequency -> Text,
        next_run_date -> Timestamp,
        last_run_date -> Nullable<Timestamp>,
        active -> Bool,
        template_data -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        anchor_at -> Nullable<Timestamp>,
        run_index -> Integer,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        number -> Nullable<BigInt>,
        reference -> Nullable<Text>,
        subject -> Text,
        details -> Nullable<Text>,
        status -> Text,
        priority -> Text,
        category -> Nullable<Text>,
        contact_id -> Nullable<BigInt>,
        location_id -> Nullable<BigInt>,
        asset_id -> Nullable<BigInt>,
        assignee_id -> Nullable<BigInt>,
        project_id -> Nullable<BigInt>,
        recurring_ticket_id -> Nullable<BigInt>,
        due_date -> Nullable<Date>,
        resolution -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        recurring_run_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    projects (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        name -> Text,
        description -> Nullable<Text>,
        status -> Text,
        due_date -> Nullable<Date>,
        manager_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ticket_replies (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        ticket_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body -> Text,
        public -> Bool,
        minutes -> Integer,
        billable -> Bool,
        created_at -> Timestamp,
        invoice_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    invoices (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        number -> Nullable<BigInt>,
        reference -> Nullable<Text>,
        status -> Text,
        currency -> Text,
        contact_id -> Nullable<BigInt>,
        issue_date -> Nullable<Date>,
        due_date -> Nullable<Date>,
        notes -> Nullable<Text>,
        subtotal -> BigInt,
        discount -> BigInt,
        tax -> BigInt,
        total -> BigInt,
        paid -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        quote_id -> Nullable<BigInt>,
        recurring_id -> Nullable<BigInt>,
        period -> Nullable<Integer>,
    }
}

diesel::table! {
    billing_lines (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        invoice_id -> Nullable<BigInt>,
        quote_id -> Nullable<BigInt>,
        recurring_id -> Nullable<BigInt>,
        position -> Integer,
        description -> Text,
        quantity -> Text,
        unit_price -> Text,
        tax_percent -> Text,
        discount_percent -> Text,
        amount -> BigInt,
        discount -> BigInt,
        tax -> BigInt,
    }
}

diesel::table! {
    quotes (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        number -> BigInt,
        reference -> Text,
        status -> Text,
        currency -> Text,
        issue_date -> Date,
        expires_on -> Date,
        notes -> Nullable<Text>,
        subtotal -> BigInt,
        discount -> BigInt,
        tax -> BigInt,
        total -> BigInt,
        invoice_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recurring_invoices (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        name -> Text,
        currency -> Text,
        months -> Integer,
        anchor_date -> Date,
        end_date -> Nullable<Date>,
        next_period -> Integer,
        active -> Bool,
        notes -> Nullable<Text>,
        subtotal -> BigInt,
        discount -> BigInt,
        tax -> BigInt,
        total -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    client_expenses (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        spent_on -> Date,
        vendor -> Text,
        category -> Nullable<Text>,
        amount -> BigInt,
        currency -> Text,
        billable -> Bool,
        receipt_file_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        invoice_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        invoice_id -> BigInt,
        paid_on -> Date,
        amount -> BigInt,
        method -> Text,
        reference -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    counters (tenant_id, name) {
        tenant_id -> BigInt,
        name -> Text,
        last -> BigInt,
    }
}

diesel::table! {
    user_recent_clients (user_id, client_id) {
        tenant_id -> BigInt,
        user_id -> BigInt,
        client_id -> BigInt,
        viewed_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        tenant_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        client_id -> Nullable<BigInt>,
        entity -> Text,
        entity_id -> Nullable<BigInt>,
        action -> Text,
        changes -> Text,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        label -> Nullable<Text>,
    }
}

diesel::table! {
    user_clients (user_id, client_id) {
        tenant_id -> BigInt,
        user_id -> BigInt,
        client_id -> BigInt,
    }
}

diesel::table! {
    secret_history (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        entity -> Text,
        entity_id -> BigInt,
        field -> Text,
        value -> Text,
        replaced_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        user_id -> BigInt,
        state -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(users -> companies (tenant_id));
diesel::joinable!(clients -> companies (tenant_id));
diesel::joinable!(client_contacts -> clients (client_id));
diesel::joinable!(client_locations -> client_contacts (contact_id));
diesel::joinable!(client_locations -> clients (client_id));
diesel::joinable!(client_addresses -> client_contacts (contact_id));
diesel::joinable!(client_addresses -> clients (client_id));
diesel::joinable!(assets -> client_locations (location_id));
diesel::joinable!(assets -> clients (client_id));
diesel::joinable!(assets -> client_racks (rack_id));
diesel::joinable!(client_licenses -> client_contacts (contact_id));
diesel::joinable!(client_licenses -> client_locations (location_id));
diesel::joinable!(client_licenses -> clients (client_id));
diesel::joinable!(client_credentials -> client_contacts (contact_id));
diesel::joinable!(client_credentials -> client_locations (location_id));
diesel::joinable!(client_credentials -> assets (asset_id));
diesel::joinable!(client_credentials -> clients (client_id));
diesel::table! {
    client_networks (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        location_id -> Nullable<BigInt>,
        name -> Text,
        network -> Text,
        vlan -> Nullable<Integer>,
        gateway -> Nullable<Text>,
        dhcp_range -> Nullable<Text>,
        dns_servers -> Nullable<Text>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// A view, created at start-up from the resource registry (`registry::tabs`): one
    /// row per live record of every client sub-resource table.
    mspdesk_tab_rows (t, tenant_id, client_id) {
        t -> Text,
        tenant_id -> BigInt,
        client_id -> BigInt,
    }
}

diesel::table! {
    /// A view, created at start-up from the resource registry (`registry::attention`):
    /// every live dated record (and client contract end) as (kind, where, name, date).
    mspdesk_expiring (t, id) {
        t -> Text,
        tenant_id -> BigInt,
        client_id -> BigInt,
        id -> BigInt,
        name -> Text,
        expires_on -> Date,
        auto_renew -> Bool,
    }
}

diesel::joinable!(client_networks -> client_locations (location_id));
diesel::joinable!(client_networks -> clients (client_id));
diesel::joinable!(client_racks -> client_locations (location_id));
diesel::joinable!(client_racks -> clients (client_id));
diesel::joinable!(client_certificates -> clients (client_id));
diesel::joinable!(client_domains -> clients (client_id));
diesel::joinable!(client_services -> client_locations (location_id));
diesel::joinable!(client_services -> assets (asset_id));
diesel::joinable!(client_services -> clients (client_id));
diesel::joinable!(client_documents -> client_contacts (contact_id));
diesel::joinable!(client_documents -> client_locations (location_id));
diesel::joinable!(client_documents -> clients (client_id));
diesel::joinable!(client_files -> client_contacts (contact_id));
diesel::joinable!(client_files -> client_locations (location_id));
diesel::joinable!(client_files -> clients (client_id));
diesel::joinable!(client_calendar_events -> client_contacts (contact_id));
diesel::joinable!(client_calendar_events -> users (user_id));
diesel::joinable!(client_calendar_events -> clients (client_id));
diesel::joinable!(client_trips -> users (user_id));
diesel::joinable!(client_trips -> clients (client_id));
diesel::joinable!(client_recurring_tickets -> clients (client_id));
diesel::joinable!(tickets -> client_contacts (contact_id));
diesel::joinable!(tickets -> client_locations (location_id));
diesel::joinable!(tickets -> assets (asset_id));
diesel::joinable!(tickets -> client_recurring_tickets (recurring_ticket_id));
diesel::joinable!(tickets -> users (assignee_id));
diesel::joinable!(tickets -> clients (client_id));
diesel::joinable!(tickets -> projects (project_id));
diesel::joinable!(ticket_replies -> tickets (ticket_id));
diesel::joinable!(ticket_replies -> users (author_id));
diesel::joinable!(projects -> clients (client_id));
diesel::joinable!(projects -> users (manager_id));
diesel::joinable!(user_recent_clients -> clients (client_id));
diesel::joinable!(audit_log -> companies (tenant_id));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(audit_log -> clients (client_id));

diesel::table! {
    events (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        kind -> Text,
        entity_id -> Nullable<BigInt>,
        client_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> Timestamp,
        dispatched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notices (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        subject -> Text,
        subject_id -> BigInt,
        due_on -> Date,
        lead_days -> Integer,
        name -> Text,
        noticed_on -> Date,
        mailed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mails (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        kind -> Text,
        to_addr -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        attachment_name -> Nullable<Text>,
        attachment_type -> Nullable<Text>,
        attachment -> Nullable<Text>,
        job_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        title -> Text,
        link -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_prefs (user_id, kind) {
        user_id -> BigInt,
        kind -> Text,
        in_app -> Bool,
        by_mail -> Bool,
    }
}

diesel::table! {
    calendar_feeds (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> Nullable<BigInt>,
        label -> Text,
        token_hash -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    imports (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        stored_name -> Text,
        original_name -> Text,
        kind -> Text,
        layout -> Text,
        client_name -> Nullable<Text>,
        created_at -> Timestamp,
        report -> Nullable<Text>,
        checked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        tenant_id -> Nullable<BigInt>,
        kind -> Text,
        payload -> Text,
        idempotency_key -> Nullable<Text>,
        state -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        max_attempts -> Integer,
        last_error -> Nullable<Text>,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        hint -> Text,
        read_only -> Bool,
        expires_on -> Nullable<Date>,
        created_by -> BigInt,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_key_hits (key_id, window_start) {
        key_id -> BigInt,
        window_start -> Timestamp,
        hits -> BigInt,
    }
}

diesel::table! {
    workers (name) {
        name -> Text,
        started_at -> Timestamp,
        beat_at -> Timestamp,
        done -> BigInt,
        failed -> BigInt,
        last_error -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(api_keys, users);

diesel::table! {
    one_time_links (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(one_time_links, users);

diesel::table! {
    operators (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        session_nonce -> Nullable<Text>,
        created_at -> Timestamp,
        session_started_at -> Nullable<Timestamp>,
        session_seen_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    platform_audit (id) {
        id -> BigInt,
        operator_id -> Nullable<BigInt>,
        action -> Text,
        tenant_id -> Nullable<BigInt>,
        details -> Text,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(operators, platform_audit);

diesel::table! {
    share_links (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        client_id -> BigInt,
        kind -> Text,
        record_id -> BigInt,
        token_hash -> Text,
        passphrase_hash -> Nullable<Text>,
        views -> Integer,
        max_views -> Integer,
        failures -> Integer,
        expires_at -> Timestamp,
        created_by -> BigInt,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        created_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    sessions,
    login_failures,
    user_clients,
    secret_history,
    companies,
    users,
    clients,
    client_contacts,
    client_locations,
    client_addresses,
    assets,
    client_licenses,
    client_credentials,
    client_racks,
    client_networks,
    client_certificates,
    client_domains,
    client_services,
    client_documents,
    client_files,
    client_calendar_events,
    client_trips,
    client_recurring_tickets,
    tickets,
    projects,
    ticket_replies,
    counters,
    user_recent_clients,
    invoices,
    billing_lines,
    payments,
    quotes,
    recurring_invoices,
    client_expenses,
    events,
    jobs,
    calendar_feeds,
    imports,
    mails,
    notices,
    notifications,
    notification_prefs,
    mspdesk_expiring,
    audit_log,
);

// Paid revenue per currency and day (`finance::figures::revenue`).
diesel::allow_columns_to_appear_in_same_group_by_clause!(invoices::currency, payments::paid_on);

// Reports group licences by client name and vendor.
diesel::allow_columns_to_appear_in_same_group_by_clause!(clients::name, client_licenses::vendor);
