#!/usr/bin/env bash
# Makes sure MariaDB, PostgreSQL and Redis answer on loopback, as the tests expect:
# MariaDB 127.0.0.1:3306 (root, empty password), PostgreSQL 127.0.0.1:5432 (trust),
# Redis 127.0.0.1:6379, and that Debian's Chromium is installed (/usr/bin/chromium, for the
# browser tests). Starts a stopped service; installs a missing one from Debian's packages.
# Safe to run any number of times.
set -uo pipefail

answers() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

wait_for() { # port name
  for _ in $(seq 1 60); do answers "$1" && return 0; sleep 0.5; done
  echo "ensure-services: $2 did not come up on 127.0.0.1:$1" >&2
  return 1
}

apt_updated=""
install_pkgs() {
  [ -n "$apt_updated" ] || { apt-get update -qq >/dev/null && apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  answers 6379 && return 0
  command -v redis-server >/dev/null || install_pkgs redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for 6379 Redis
}

ensure_mariadb() {
  if ! answers 3306; then
    command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || install_pkgs mariadb-server
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
    [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql \
      --bind-address=127.0.0.1
    wait_for 3306 MariaDB || return 1
  fi
  # A fresh Debian install lets root in only through the socket; the tests use TCP.
  if ! mariadb -h 127.0.0.1 -u root -e 'SELECT 1' >/dev/null 2>&1; then
    mariadb -u root -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;" \
      || echo "ensure-services: could not open MariaDB root over TCP" >&2
  fi
}

ensure_postgres() {
  if ! answers 5432; then
    ls /etc/postgresql/*/main >/dev/null 2>&1 || install_pkgs postgresql
    version=$(ls /etc/postgresql | sort -V | tail -1)
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    grep -q '^host all all 127.0.0.1/32 trust' "$hba" ||
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    wait_for 5432 PostgreSQL || return 1
  fi
}

# The browser end-to-end tests (packages/e2e) drive Debian's Chromium; never a downloaded one.
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  install_pkgs chromium || { echo "ensure-services: could not install chromium" >&2; return 1; }
}

status=0
ensure_chromium || status=1
ensure_redis || status=1
ensure_mariadb || status=1
ensure_postgres || status=1
exit $status
