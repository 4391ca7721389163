# Sourced by the scripts that serve the demo tenant to an outside checker (api_fuzz.sh,
# e2e/run.sh): exports DATABASE_URL for a fresh database — SQLite inside $dir, or the
# PostgreSQL database named by $1, dropped and created again.
fresh_database() {
    if [ -n "${1:-}" ]; then
        db=${1##*/}
        psql "${1%/*}/postgres" -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
        DATABASE_URL="$1"
    else
        DATABASE_URL="sqlite://$dir/db.sqlite"
    fi
    export DATABASE_URL
}
