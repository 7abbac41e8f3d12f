//! DNS and the protocol users speak: `domain`, `record_type`, `protocol`.

use super::*;

pub(super) fn domain(design: &Design) -> Option<String> {
    let domain = design.domain.as_ref()?;
    let mut text = format!(
        "The domain name `{}` is the site's human-readable address. People remember names, \
         computers connect to IP addresses: the Domain Name System (DNS) turns one into the \
         other. The domain's owner publishes records for it, and every name under it \
         (`www.{}`, say) is looked up through those records.\n\n",
        domain.value, domain.value
    );
    let records: Vec<String> = design
        .records
        .iter()
        .map(|r| format!("`{}` ({} → `{}`)", r.host, r.record_type, r.value.value))
        .collect();
    if !records.is_empty() {
        let _ = writeln!(text, "This design publishes {}.\n", and_join(&records));
    }
    Some(text)
}

pub(super) fn record_type(design: &Design) -> Option<String> {
    let record = design
        .records
        .iter()
        .find(|r| r.name.value.eq_ignore_ascii_case("www"))
        .or_else(|| design.records.first())?;
    let value = &record.value.value;
    let is_address = value.parse::<std::net::IpAddr>().is_ok();
    Some(match record.record_type {
        RecordType::A | RecordType::Aaaa => format!(
            "`{}` is an **{} record**: it maps the name straight to the IP address `{value}`. \
             An {} record is what a name needs when it points at an address. It is not a \
             CNAME: a CNAME makes a name an alias of another *name*, and can never hold an \
             address.\n",
            record.host, record.record_type, record.record_type
        ),
        RecordType::Cname if is_address => format!(
            "`{}` is written as a **CNAME record** whose value is an address, `{value}`. That \
             is a mistake DNS servers refuse: a CNAME makes a name an alias of another name. \
             A name that points at an address needs an **A record** (finding DN001).\n",
            record.host
        ),
        RecordType::Cname => format!(
            "`{}` is a **CNAME record**: an alias of the name `{value}`. A resolver that asks \
             for `{}` is told to ask for `{value}` instead, and follows that name's records to \
             an address.\n",
            record.host, record.host
        ),
        RecordType::Mx | RecordType::Txt => format!(
            "`{}` is a {} record, which does not lead browsers to a server.\n",
            record.host, record.record_type
        ),
    })
}

pub(super) fn protocol(design: &Design) -> Option<String> {
    let flows: Vec<_> = user_flows(design).collect();
    let first = flows.first()?;
    let port = first
        .port
        .map(|p| format!(" on port {p}"))
        .unwrap_or_default();
    let (what, note) = if first.protocol.is_encrypted() {
        (
            format!(
                "**{}**: HTTP inside TLS, so the traffic is encrypted",
                first.protocol
            ),
            "",
        )
    } else {
        (
            format!("**{}**, in plaintext", first.protocol),
            " Anyone on the way can read and change it, which is why sites serve HTTPS.",
        )
    };
    Some(format!(
        "The server talks to the user's computer over {what}{port}, carried by TCP/IP across \
         the internet: the browser opens a TCP connection to the address DNS gave it, sends \
         its request, and the answer comes back on the same connection.{note}\n"
    ))
}
