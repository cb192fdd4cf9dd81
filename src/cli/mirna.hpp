#pragma once
//!\file
//!\brief `chemores mirna sites|quant`: each subcommand binds its options to a CLI11 sub-app and returns its runner.

#include <CLI/CLI.hpp>

#include <functional>

namespace chemores::cli
{
std::function<int()> setup_mirna_sites(CLI::App & app); // src/cli/mirna_sites.cpp
std::function<int()> setup_mirna_quant(CLI::App & app); // src/cli/mirna_quant.cpp
} // namespace chemores::cli
