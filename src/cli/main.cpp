// chemores: sequence analysis for cancer drug resistance. The command table below generates both the
// dispatch and `chemores --help`, so they cannot drift apart.

#include "common.hpp"

#include <chemores/core/atomic_output.hpp>
#include <chemores/core/errors.hpp>
#include <chemores/core/version.hpp>

#include <cstdio>
#include <iostream>
#include <sstream>

namespace chemores::cli
{
namespace
{
std::vector<std::string> g_argv;

std::vector<command> const & commands()
{
    static std::vector<command> const table{
        {"align", "align reads to the resistance panel (ABL1, BCR::ABL1, SLC19A1, miRNAs) with SIMD kernels",
         setup_align},
        {"annotate", "tag reads carrying catalogued mutations or fusion junctions in a batch of BAM/CRAM files",
         setup_annotate},
        {"call", "call known drug-resistance mutations (BCR::ABL1 kinase domain, SLC19A1) with per-drug interpretation",
         setup_call},
        {"catalogue", "list, validate or show the mutation catalogue (ABL1 TKI resistance, SLC19A1)", setup_catalogue},
        {"mirna", "miRNA seed sites in resistance-gene 3'UTRs (sites) and small-RNA quantification (quant)",
         setup_mirna},
        {"report", "self-contained HTML report per sample and per cohort, and MultiQC custom content", setup_report},
        {"version", "print version, SIMD targets and reference checksums", setup_version},
    };
    return table;
}

std::string shell_quote(std::string const & s)
{
    if (!s.empty() && s.find_first_of(" \t\n'\"\\$`*?;&|<>()[]{}") == std::string::npos)
        return s;
    std::string r = "'";
    for (char c : s)
        r += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
    return r + "'";
}

std::string top_help()
{
    std::ostringstream os;
    os << "chemores " << version_string() << ": sequence analysis for cancer drug resistance\n\n"
       << "Usage: chemores <command> [options]\n\nCommands:\n";
    for (auto const & c : commands())
        os << "  " << c.name << std::string(12 - std::string{c.name}.size(), ' ') << c.summary << "\n";
    os << "  help        show the help of a command: chemores help <command>\n\n"
       << "Run 'chemores <command> --help' for the options of a command.\n";
    return os.str();
}
} // namespace

std::string command_line()
{
    std::string s;
    for (size_t i = 0; i < g_argv.size(); ++i)
        s += (i ? " " : "") + shell_quote(g_argv[i]);
    return s;
}

// "chemores CMD: " before every message; `mirna` names its subcommand ("chemores mirna sites: "), as its two
// subcommands are separate tools (catalogue list|validate|show share one voice: "chemores catalogue: ").
static std::string message_prefix(command const & cmd, CLI::App const & app)
{
    std::string prefix = std::string{"chemores "} + cmd.name;
    if (cmd.name == std::string_view{"mirna"})
        for (auto const * sub : app.get_subcommands())
            prefix += " " + sub->get_name();
    return prefix + ": ";
}

int run(int argc, char ** argv)
{
    g_argv.assign(argv, argv + argc);
    if (argc < 2 || std::string{argv[1]} == "--help" || std::string{argv[1]} == "-h")
    {
        std::cout << top_help();
        return argc < 2 ? 2 : 0;
    }
    std::string name = argv[1];
    if (name == "--version")
    {
        std::cout << "chemores " << version_string() << "\n";
        return 0;
    }
    std::vector<std::string> args(argv + 2, argv + argc);
    if (name == "help")
    {
        if (args.empty())
        {
            std::cout << top_help();
            return 0;
        }
        name = args[0];
        args = {"--help"};
    }
    command const * cmd = nullptr;
    for (auto const & c : commands())
        if (name == c.name)
            cmd = &c;
    if (!cmd)
    {
        std::cerr << "chemores: error: unknown command '" << name << "'\n\n" << top_help();
        return 2;
    }

    CLI::App app{std::string{cmd->summary}, std::string{"chemores "} + cmd->name};
    app.set_help_flag("-h,--help", "print this help and exit");
    auto runner = cmd->setup(app);
    std::string prefix = std::string{"chemores "} + cmd->name + ": ";
    try
    {
        std::reverse(args.begin(), args.end()); // CLI11 parses a reversed vector
        app.parse(args);
    }
    catch (CLI::CallForHelp const &)
    {
        std::cout << app.help();
        return 0;
    }
    catch (CLI::ParseError const & e)
    {
        prefix = message_prefix(*cmd, app);
        std::cerr << prefix << "error: " << e.what() << "\nRun '" << prefix.substr(0, prefix.size() - 2) << " --help' for usage.\n";
        return 2;
    }

    prefix = message_prefix(*cmd, app);

    install_cleanup_signal_handlers();
    try
    {
        int const rc = runner();
        if (std::fflush(stdout) != 0 || std::ferror(stdout))
        {
            std::cerr << prefix << "error: cannot write to standard output\n";
            return 1;
        }
        return rc;
    }
    catch (config_error const & e)
    {
        std::fflush(stdout);
        std::cerr << prefix << "error: " << e.what() << "\n";
        return 2;
    }
    catch (internal_error const & e)
    {
        std::fflush(stdout);
        std::cerr << prefix << "internal error (please report): " << e.what() << "\n";
        return 1;
    }
    catch (std::exception const & e)
    {
        std::fflush(stdout);
        std::cerr << prefix << "error: " << e.what() << "\n";
        return 1;
    }
}

void add_common_options(CLI::App & app, common_options & o, unsigned which)
{
    if (which & opt_output)
        app.add_option("-o,--output", o.output, "output file ('-' = standard output)")->capture_default_str();
    if (which & opt_output_fmt)
    {
        app.add_option("-O,--output-fmt", o.output_fmt, "output format: SAM, BAM or CRAM (default: from the -o extension, else SAM)")
            ->check(CLI::IsMember({"SAM", "BAM", "CRAM", "sam", "bam", "cram"}));
        app.add_option("--output-fmt-option", o.output_fmt_options,
                       "htslib output option, e.g. level=1 (BGZF compression level; default 6) or nthreads")
            ->take_all()
            ->allow_extra_args(false); // one value per option: `--output-fmt-option level=1 R1.fq R2.fq`
    }
    if (which & opt_write_index)
        app.add_flag("--write-index", o.write_index, "write a BAI/CRAI index beside the output (needs --sort)");
    if (which & opt_threads)
        app.add_option("-@,--threads", o.threads, "threads for alignment and BGZF compression")
            ->check(CLI::Range(1, 1024))
            ->capture_default_str();
    if (which & opt_reference)
        app.add_option("--reference", o.reference, "FASTA replacing the built-in reference panel")
            ->check(CLI::ExistingFile);
    if (which & opt_verbosity)
        app.add_option("--verbosity", o.verbosity, "0 = errors only, 1 = warnings and summary, 2 = more")
            ->check(CLI::Range(0, 3))
            ->capture_default_str();
    if (which & opt_no_pg)
        app.add_flag("--no-PG,--no-pg", o.no_pg, "do not add a @PG line to the output header");
    if (which & opt_simd)
        app.add_option("--simd", o.simd, "alignment kernel: auto, scalar, sse4.1, avx2, avx512bw (env CHEMORES_SIMD)")
            ->envname("CHEMORES_SIMD")
            ->capture_default_str();
}

} // namespace chemores::cli

int main(int argc, char ** argv)
{
    return chemores::cli::run(argc, argv);
}
