//! Small labelled form controls in the DSFR markup, shared by the parameter pages.

use leptos::prelude::*;

use crate::format::{lire_entier, lire_nombre, lire_pourcent, saisie, saisie_pourcent};

/// The label of a control, with its help text (DSFR `fr-hint-text`) when there is one.
#[component]
fn Libelle(pour: String, texte: String, aide: String) -> impl IntoView {
    view! {
        <label class="fr-label" for=pour>{texte}
            {(!aide.is_empty()).then(|| view! { <span class="fr-hint-text">{aide}</span> })}
        </label>
    }
}

/// A number input shown in percent while the model holds a fraction (6,3 % ↔ 0.063).
#[component]
pub fn ChampPourcent(
    id: String,
    label: String,
    #[prop(optional, into)] aide: String,
    #[prop(into)] valeur: Signal<Option<f64>>,
    #[prop(into)] regler: Callback<Option<f64>>,
    #[prop(optional, into)] placeholder: String,
) -> impl IntoView {
    view! {
        <div class="fr-input-group">
            <Libelle pour=id.clone() texte=label aide/>
            <div class="champ-unite">
                <input class="fr-input" type="number" id=id min="0" max="100" step="0.1" inputmode="decimal"
                    placeholder=placeholder
                    prop:value=move || valeur.get().map(saisie_pourcent).unwrap_or_default()
                    on:change=move |ev| regler.run(lire_pourcent(&event_target_value(&ev)))/>
                <span class="champ-unite__unite" aria-hidden="true">"%"</span>
            </div>
        </div>
    }
}

/// A plain number input.
#[component]
pub fn ChampNombre(
    id: String,
    label: String,
    #[prop(optional, into)] aide: String,
    #[prop(into)] valeur: Signal<f64>,
    #[prop(into)] regler: Callback<f64>,
    #[prop(default = "1")] pas: &'static str,
    #[prop(optional)] unite: &'static str,
) -> impl IntoView {
    let afficher = Signal::derive(move || saisie(valeur.get()));
    let lire = Callback::new(move |t: String| if let Some(v) = lire_nombre(&t) { regler.run(v) });
    view! { <Saisie id label aide afficher lire pas mode="decimal" unite/> }
}

/// A group of radio buttons for an enum-like choice.
#[component]
pub fn ChoixRadio<T>(
    nom: &'static str,
    legende: String,
    #[prop(optional, into)] aide: String,
    options: Vec<(T, &'static str, &'static str)>,
    #[prop(into)] valeur: Signal<T>,
    #[prop(into)] regler: Callback<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <fieldset class="fr-fieldset">
            <legend class="fr-fieldset__legend fr-text--regular">{legende}
                {(!aide.is_empty()).then(|| view! { <span class="fr-hint-text">{aide}</span> })}
            </legend>
            {options.into_iter().enumerate().map(|(i, (v, libelle, detail))| {
                let id = format!("{nom}-{i}");
                view! {
                    <div class="fr-fieldset__element">
                        <div class="fr-radio-group">
                            <input type="radio" id=id.clone() name=nom
                                prop:checked=move || valeur.get() == v
                                on:change=move |_| regler.run(v)/>
                            <label class="fr-label" for=id>{libelle}
                                {(!detail.is_empty()).then(|| view! { <span class="fr-hint-text">{detail}</span> })}
                            </label>
                        </div>
                    </div>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A checkbox.
#[component]
pub fn Case(
    id: String,
    label: String,
    #[prop(optional, into)] aide: String,
    #[prop(into)] valeur: Signal<bool>,
    #[prop(into)] regler: Callback<bool>,
) -> impl IntoView {
    view! {
        <div class="fr-checkbox-group">
            <input type="checkbox" id=id.clone()
                prop:checked=move || valeur.get()
                on:change=move |ev| regler.run(event_target_checked(&ev))/>
            <Libelle pour=id texte=label aide/>
        </div>
    }
}

/// A whole-number input (counts, thresholds).
#[component]
pub fn ChampEntier(
    id: String,
    label: String,
    #[prop(optional, into)] aide: String,
    #[prop(into)] valeur: Signal<u32>,
    #[prop(into)] regler: Callback<u32>,
    #[prop(optional)] unite: &'static str,
) -> impl IntoView {
    let afficher = Signal::derive(move || valeur.get().to_string());
    let lire = Callback::new(move |t: String| if let Some(v) = lire_entier(&t) { regler.run(v) });
    view! { <Saisie id label aide afficher lire pas="1" mode="numeric" unite/> }
}

/// The markup of a number input with its label and unit; what it shows and how it reads are the
/// caller's.
#[component]
fn Saisie(
    id: String,
    label: String,
    aide: String,
    afficher: Signal<String>,
    lire: Callback<String>,
    pas: &'static str,
    mode: &'static str,
    unite: &'static str,
) -> impl IntoView {
    view! {
        <div class="fr-input-group">
            <Libelle pour=id.clone() texte=label aide/>
            <div class="champ-unite">
                <input class="fr-input" type="number" id=id min="0" step=pas inputmode=mode
                    prop:value=move || afficher.get()
                    on:change=move |ev| lire.run(event_target_value(&ev))/>
                {(!unite.is_empty()).then(|| view! { <span class="champ-unite__unite" aria-hidden="true">{unite}</span> })}
            </div>
        </div>
    }
}
