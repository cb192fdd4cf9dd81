// chemores mirna sites|quant: dispatch to the two subcommands.

#include "common.hpp"
#include "mirna.hpp"

#include <memory>

namespace chemores::cli
{

std::function<int()> setup_mirna(CLI::App & app)
{
    app.require_subcommand(1);
    auto * sites = app.add_subcommand("sites", "predict miRNA seed sites (8mer ... offset-6mer) in 3'UTRs, variant-aware");
    auto * quant = app.add_subcommand("quant", "quantify miRNAs and isomiRs from small-RNA reads");
    auto run_sites = setup_mirna_sites(*sites);
    auto run_quant = setup_mirna_quant(*quant);
    return [sites, run_sites, run_quant] { return sites->parsed() ? run_sites() : run_quant(); };
}

} // namespace chemores::cli
