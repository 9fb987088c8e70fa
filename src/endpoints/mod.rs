//! One type per API call, and the typed answers they decode into.
//!
//! | python-dshield | endpoint | answer |
//! |---|---|---|
//! | `backscatter(date, rows)` | [`Backscatter`] | [`List`]`<`[`BackscatterRow`]`>` |
//! | `handler()` | [`Handler`] | [`HandlerOfTheDay`] |
//! | `infocon()` | [`Infocon`] | [`InfoconStatus`] |
//! | `ip(address)` | [`Ip`] | [`IpReport`] |
//! | `port(number)` | [`Port`] | [`PortReport`] |
//! | `portdate(number, date)` | [`PortDate`] | [`PortReport`] |
//! | `topports(sort_by, limit, date)` | [`TopPorts`] | [`TopPortsReport`] |
//! | `topips(sort_by, limit, date)` | [`TopIps`] | [`TopIpsReport`] |
//! | `sources(sort_by, limit, date)` | [`Sources`] | [`List`]`<`[`Source`]`>` |
//! | `porthistory(number, start, end)` | [`PortHistory`] | [`PortHistoryReport`] |
//! | `asnum(number, limit)` | [`AsNum`] | [`List`]`<`[`AsnAddress`]`>` |
//! | `dailysummary(start, end)` | [`DailySummary`] | [`List`]`<`[`DailySummaryDay`]`>` |
//! | `daily404summary(date)` | [`Daily404Summary`] | [`List`]`<`[`Daily404Day`]`>` |
//! | `daily404detail(date, limit)` | [`Daily404Detail`] | [`List`]`<`[`Daily404Request`]`>` |
//! | `glossary(term)` | [`Glossary`] | [`List`]`<`[`GlossaryTerm`]`>` |
//! | `webhoneypotsummary(date)` | [`WebHoneypotSummary`] | [`WebHoneypotDay`] |
//! | `webhoneypotbytype(date)` | [`WebHoneypotByType`] | [`List`]`<`[`AttackType`]`>` |
//!
//! [`List`]: crate::List

mod asnum;
mod backscatter;
mod daily;
mod glossary;
mod ip;
mod port;
mod sources;
mod status;
mod top;
mod webhoneypot;

pub use asnum::{ASNUM_MAX_LIMIT, AsNum, AsnAddress};
pub use backscatter::{Backscatter, BackscatterRow};
pub use daily::{
    DAILY_SUMMARY_FIRST_DAY, DAILY_SUMMARY_MAX_DAYS, Daily404Day, Daily404Detail, Daily404Request,
    Daily404Summary, DailySummary, DailySummaryDay,
};
pub use glossary::{Glossary, GlossaryTerm};
pub use ip::{Ip, IpReport, ThreatFeedSighting};
pub use port::{
    Port, PortActivity, PortDate, PortDay, PortHistory, PortHistoryReport, PortReport, PortService,
    PortServices,
};
pub use sources::{SOURCES_MAX_LIMIT, Source, Sources, SourcesSort};
pub use status::{Handler, HandlerOfTheDay, Infocon, InfoconLevel, InfoconStatus};
pub use top::{
    TopIp, TopIps, TopIpsReport, TopIpsSort, TopPort, TopPorts, TopPortsReport, TopPortsSort,
};
pub use webhoneypot::{AttackType, WebHoneypotByType, WebHoneypotDay, WebHoneypotSummary};
