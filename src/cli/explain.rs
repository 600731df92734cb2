//! `certkit explain`: why the token exchange failed, from the error text (no network).

use certkit_core::diagnose::{Integration, Match, TextKind, PLACEHOLDERS};
use certkit_core::ops::explain::{self, Report};
use certkit_core::{Error, Result};

use super::args::choice;
use super::render::{self, Text};

pub const EXAMPLES: &str = "\
Examples:
  certkit explain 'System.CalloutException: Unable to complete the JWT token exchange. Error: invalid_grant. Error description: Invalid JWT Signature.'
  certkit explain '{\"error\":\"invalid_grant\",\"error_description\":\"audience is invalid\"}'
  sf org login jwt ... 2>&1 | certkit explain -
  certkit explain 'Unable to complete the JWT token exchange.'   # the checklists
  certkit explain 'Unable to complete the JWT token exchange.' --provider salesforce   # org to org";

/// Arguments of `certkit explain`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The error text: Salesforce's exception line, an OAuth error body, `error: description`,
    /// or "-" to read it from standard input.
    #[arg(value_name = "TEXT|-")]
    pub text: String,
    /// Which integration it is: its table of answers is looked in first, and the bare
    /// message's checklist lists its causes only (all three without it). Same names as
    /// `--profile` of `exchange` and `verify`.
    #[arg(long, visible_alias = "profile", value_name = "PROVIDER", value_parser = choice::<Integration>())]
    pub provider: Option<Integration>,
}

pub fn exec(a: Args, json: bool) -> Result<()> {
    let text = if a.text == "-" {
        let data = crate::host::files::read_stdin_bounded(certkit_core::host::MAX_INPUT)?;
        String::from_utf8_lossy(&data).into_owned()
    } else {
        a.text
    };
    let report = explain::run(&text, a.provider);
    if json {
        render::json(&report)?;
    } else {
        render::stdout(&self::text(&report).0)?;
    }
    if report.understood() {
        Ok(())
    } else {
        Err(Error::ChecksFailed(1))
    }
}

/// The matched causes, as the reports of `explain` and `exchange` print them.
pub fn matches(t: &mut Text, matches: &[Match]) {
    for m in matches {
        let e = &m.entry;
        t.line(format!(
            "{:?}: {} / {} ({})",
            m.provider,
            e.error,
            if e.description.is_empty() {
                "(no description)"
            } else {
                e.description
            },
            e.id
        ));
        t.line(format!("  cause:  {}", e.cause));
        t.line(format!("  fix:    {}", e.fix));
        if let Some(c) = m.command.as_deref().or(e.check) {
            t.line(format!("  check:  {c}"));
        }
        t.line(format!("  source: {}", e.source));
    }
}

fn text(r: &Report) -> Text {
    let mut t = Text::default();
    // What the text held, as it was written there: nothing certkit did not find in it.
    if let Some(a) = &r.answer {
        if !a.error.is_empty() {
            t.line(format!("error:             {}", render::clean(&a.error)));
        }
        if let Some(d) = &a.error_description {
            t.line(format!("error_description: {}", render::clean(d)));
        }
        t.line("");
    }
    matches(&mut t, &r.matches);
    if !r.checklist.is_empty() {
        t.line(match (r.input, &r.answer) {
            (TextKind::BareException, _) => {
                "Salesforce hides the provider's answer. The causes, in the order to check them:"
            }
            (_, Some(_)) => "certkit does not know this answer. The usual causes, in the order to check them:",
            _ => "certkit found no token-endpoint error in this text. The usual causes, in the order to check them:",
        });
        if r.checklist.len() > 1 {
            t.line("Which integration is it? --provider google, salesforce (org to org) or generic (a third party) shows its list alone.");
        }
        for c in &r.checklist {
            t.line("");
            t.line(format!("{}:", c.integration.title()));
            t.line("  First see the provider's own answer (Salesforce hides it):");
            t.line(format!("     {}", c.exchange));
            if let Some(n) = c.exchange_note {
                t.line(format!("     ({n})"));
            }
            for (i, item) in c.causes.iter().enumerate() {
                t.line(format!("  {}. {}", i + 1, item.cause));
                if let Some(cmd) = item.command {
                    t.line(format!("     check: {cmd}"));
                }
                if let Some(n) = item.note {
                    t.line(format!(
                        "     {}{n}",
                        if item.command.is_some() {
                            "       "
                        } else {
                            "look:  "
                        }
                    ));
                }
            }
        }
        // Only the placeholders the commands above use (one integration's checklist names
        // none of the others').
        let legend: Vec<&str> = PLACEHOLDERS
            .split("; ")
            .filter(|entry| {
                let names = entry.split(':').next().unwrap_or_default();
                names
                    .split([',', ' '])
                    .filter(|n| !n.is_empty() && *n != "and")
                    .any(|n| t.0.contains(n))
            })
            .collect();
        if !legend.is_empty() {
            t.line("");
            t.line(format!("Placeholders: {}.", legend.join("; ")));
        }
    }
    t
}
