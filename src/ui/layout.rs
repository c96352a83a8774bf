//! Page frame in the look of the État's design system (DSFR): header and footer.

use leptos::prelude::*;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header role="banner" class="fr-header">
            <div class="fr-header__body">
                <div class="fr-container">
                    <div class="fr-header__body-row">
                        <div class="fr-header__brand fr-enlarge-link">
                            <div class="fr-header__brand-top">
                                <div class="fr-header__logo">
                                    <p class="fr-logo">"République" <br/> "Française"</p>
                                </div>
                            </div>
                            <div class="fr-header__service">
                                <a href="./" title="Accueil — Calculateur de gestion en flux">
                                    <p class="fr-header__service-title">"Calculateur de gestion en flux"</p>
                                </a>
                                <p class="fr-header__service-tagline">
                                    "Réservations de logements sociaux : du stock au flux (loi ELAN)"
                                </p>
                            </div>
                        </div>
                    </div>
                </div>
            </div>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="fr-footer" role="contentinfo">
            <div class="fr-container">
                <div class="fr-footer__body">
                    <div class="fr-footer__brand fr-enlarge-link">
                        <p class="fr-logo">"République" <br/> "Française"</p>
                    </div>
                    <div class="fr-footer__content">
                        <p class="fr-footer__content-desc">
                            "Calcul entièrement local : vos données ne quittent pas votre navigateur. "
                            "Géographie : découpage administratif (Etalab, Licence Ouverte 2.0). "
                            "Apparence : Système de design de l'État (DSFR)."
                        </p>
                    </div>
                </div>
            </div>
        </footer>
    }
}
