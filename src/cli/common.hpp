#pragma once
//!\file
//!\brief Options shared by every subcommand, defined once (in the spirit of samtools sam_opts.h), and the
//!       table of subcommands from which dispatch and `chemores --help` are generated.

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace chemores::cli
{

struct common_options
{
    int threads = 1;
    std::string output = "-";
    std::string output_fmt;
    std::vector<std::string> output_fmt_options;
    bool write_index = false;
    std::string reference;
    int verbosity = 1;
    bool no_pg = false;
    std::string simd = "auto";
};

enum common_flags : unsigned
{
    opt_threads = 1u << 0,
    opt_output = 1u << 1,
    opt_output_fmt = 1u << 2,
    opt_write_index = 1u << 3,
    opt_reference = 1u << 4,
    opt_verbosity = 1u << 5,
    opt_no_pg = 1u << 6,
    opt_simd = 1u << 7,
    opt_all = 0xffu
};

//!\brief Add the selected common options to `app`, bound to `o`.
void add_common_options(CLI::App & app, common_options & o, unsigned which);

//!\brief The full command line, shell-quoted where needed (for @PG and provenance).
std::string command_line();

//!\brief One subcommand: `setup` binds its options and returns the function that runs it (exit status).
struct command
{
    char const * name;
    char const * summary;
    std::function<std::function<int()>(CLI::App &)> setup;
};

std::function<int()> setup_align(CLI::App & app);
std::function<int()> setup_annotate(CLI::App & app);
std::function<int()> setup_call(CLI::App & app);
std::function<int()> setup_catalogue(CLI::App & app);
std::function<int()> setup_mirna(CLI::App & app);
std::function<int()> setup_report(CLI::App & app);
std::function<int()> setup_version(CLI::App & app);

} // namespace chemores::cli
