//! The closed sets of words the design format allows: kinds, protocols, algorithms...
//! Each is an enum with its spelling in the file, so that an unknown word can be
//! reported with the nearest allowed one and the full list.

/// A closed set of words, read from the file by its spelling.
pub trait Word: Copy + Sized {
    /// Every allowed spelling, in the order the format lists them.
    const WORDS: &'static [&'static str];
    /// What the word names, for messages: "unknown protocol `htps`".
    const WHAT: &'static str;
    fn parse(word: &str) -> Option<Self>;
}

macro_rules! vocabulary {
    ($($(#[$doc:meta])* $name:ident ($what:literal) { $($variant:ident = $text:literal,)* })*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            pub fn parse(word: &str) -> Option<$name> {
                match word { $($text => Some($name::$variant),)* _ => None }
            }
        }

        impl Word for $name {
            const WORDS: &'static [&'static str] = &[$($text,)*];
            const WHAT: &'static str = $what;

            fn parse(word: &str) -> Option<$name> {
                $name::parse(word)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

vocabulary! {
    ComponentKind ("kind") {
        LoadBalancer = "load_balancer",
        WebServer = "web_server",
        AppServer = "app_server",
        Codebase = "codebase",
        Database = "database",
        Cache = "cache",
        Queue = "queue",
        Storage = "storage",
        Firewall = "firewall",
        MonitoringAgent = "monitoring_agent",
        Cdn = "cdn",
        Proxy = "proxy",
        Search = "search",
        Coordination = "coordination",
        Worker = "worker",
        Other = "other",
    }

    /// What an external service is. Our addition to the format: the component kinds that
    /// make sense outside, plus `monitoring` for a monitoring service.
    ExternalKind ("external kind") {
        Monitoring = "monitoring",
        Cdn = "cdn",
        Database = "database",
        Storage = "storage",
        Queue = "queue",
        Cache = "cache",
        Dns = "dns",
        LoadBalancer = "load_balancer",
        Proxy = "proxy",
        Search = "search",
        Coordination = "coordination",
        Worker = "worker",
        Other = "other",
    }

    Protocol ("protocol") {
        Http = "http",
        Https = "https",
        Tcp = "tcp",
        Tls = "tls",
        Mysql = "mysql",
        MysqlTls = "mysql+tls",
        Postgres = "postgres",
        PostgresTls = "postgres+tls",
        Redis = "redis",
        RedisTls = "redis+tls",
        Amqp = "amqp",
        AmqpTls = "amqp+tls",
        Grpc = "grpc",
        GrpcTls = "grpc+tls",
        Memcached = "memcached",
        MemcachedTls = "memcached+tls",
        Smtp = "smtp",
        SmtpTls = "smtp+tls",
        Ldap = "ldap",
        LdapTls = "ldap+tls",
        Kafka = "kafka",
        KafkaTls = "kafka+tls",
        Dns = "dns",
        Ssh = "ssh",
        Other = "other",
    }

    Algorithm ("algorithm") {
        RoundRobin = "round_robin",
        LeastConnections = "least_connections",
        SourceHash = "source_hash",
        WeightedRoundRobin = "weighted_round_robin",
        Random = "random",
    }

    Role ("role") {
        Primary = "primary",
        Replica = "replica",
        Standby = "standby",
    }

    /// Where a client starts its requests from.
    Network ("network") {
        Private = "private",
        Internet = "internet",
    }

    /// How a cluster replaces a failed primary.
    Failover ("failover") {
        Automatic = "automatic",
    }

    /// What a load balancer does with TLS that reaches it.
    TlsMode ("tls mode") {
        Terminate = "terminate",
        Reencrypt = "reencrypt",
        Passthrough = "passthrough",
    }

    Mode ("mode") {
        ActiveActive = "active-active",
        ActivePassive = "active-passive",
    }

    Access ("access") {
        Read = "read",
        Write = "write",
        ReadWrite = "read-write",
    }

    Purpose ("purpose") {
        Replication = "replication",
        Monitoring = "monitoring",
    }

    RecordType ("record type") {
        A = "A",
        Aaaa = "AAAA",
        Cname = "CNAME",
        Mx = "MX",
        Txt = "TXT",
    }

    /// A point an exercise profile's answer must explain (`explain: [{ id: ... }]`):
    /// reports have an answer for each, so an unknown id is refused when the profile is
    /// read.
    Explain ("point to explain") {
        Server = "server",
        Domain = "domain",
        RecordType = "record_type",
        WebServer = "web_server",
        AppServer = "app_server",
        Database = "database",
        Protocol = "protocol",
        Issues = "issues",
        AddedElements = "added_elements",
        Algorithm = "algorithm",
        ClusterMode = "cluster_mode",
        PrimaryReplica = "primary_replica",
        PrimaryVsReplica = "primary_vs_replica",
        Firewalls = "firewalls",
        Https = "https",
        Monitoring = "monitoring",
        MonitoringCollection = "monitoring_collection",
        Qps = "qps",
    }

    Collect ("collected data") {
        Metrics = "metrics",
        Logs = "logs",
        Qps = "qps",
        Traces = "traces",
    }
}

impl ComponentKind {
    /// The kinds that take `role:` anywhere (on other kinds, only in a failover
    /// cluster): databases, and coordination services that take writes (etcd as a
    /// datastore). A database is `primary` unless it says otherwise.
    pub const WITH_ROLE: [ComponentKind; 2] =
        [ComponentKind::Database, ComponentKind::Coordination];

    /// The kinds a bare server name can stand for, first present wins.
    pub const FRONT_ORDER: [ComponentKind; 4] = [
        ComponentKind::LoadBalancer,
        ComponentKind::WebServer,
        ComponentKind::AppServer,
        ComponentKind::Database,
    ];
}

impl ExternalKind {
    /// The component kind an outside service counts as (an outside `database` is a
    /// database); `None` for `monitoring` and `dns`, which no component is.
    pub fn as_component(self) -> Option<ComponentKind> {
        match self {
            ExternalKind::Monitoring | ExternalKind::Dns => None,
            other => ComponentKind::parse(other.as_str()),
        }
    }
}

impl Protocol {
    /// TLS: `https`, `tls` and the `+tls` protocols. TLS ends somewhere, and where it
    /// ends needs a certificate.
    pub fn is_tls(self) -> bool {
        self.as_str().ends_with("+tls") || matches!(self, Protocol::Https | Protocol::Tls)
    }

    /// Encrypted: TLS, and `ssh` (encrypted, but not TLS: no certificate, nothing ends
    /// it on the way). The others are plaintext.
    pub fn is_encrypted(self) -> bool {
        self.is_tls() || self == Protocol::Ssh
    }
}

impl Access {
    pub fn allows_write(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }

    pub fn allows_read(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for kind in ComponentKind::ALL {
            assert_eq!(ComponentKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(Protocol::parse("mysql+tls"), Some(Protocol::MysqlTls));
        assert!(Protocol::MysqlTls.is_encrypted());
        assert!(!Protocol::Mysql.is_encrypted());
        assert_eq!(RecordType::parse("cname"), None);
    }
}
