#include <chemores/call/caller.hpp>
#include <chemores/catalogue/genetic_code.hpp>
#include <chemores/core/errors.hpp>

#include <algorithm>
#include <cmath>
#include <htslib/sam.h>
#include <memory>
#include <set>
#include <unordered_set>

namespace chemores::call
{

std::string_view to_string(status s) noexcept
{
    switch (s)
    {
        case status::detected:
            return "DETECTED";
        case status::not_detected:
            return "NOT_DETECTED";
        case status::not_assessable:
            return "NOT_ASSESSABLE";
    }
    return "?";
}

std::string_view to_string(drug_verdict v) noexcept
{
    switch (v)
    {
        case drug_verdict::resistant:
            return "resistant";
        case drug_verdict::reduced_sensitivity:
            return "reduced_sensitivity";
        case drug_verdict::no_known_resistance_detected:
            return "no_known_resistance_detected";
        case drug_verdict::not_assessable:
            return "not_assessable";
    }
    return "?";
}

std::vector<vus_region> default_vus_regions(reference::panel const & panel)
{
    std::vector<vus_region> out;
    for (auto const & c : panel.contigs())
    {
        if (c.kind != "transcript" || c.cds_start <= 0)
            continue;
        if (c.gene == "ABL1")
            out.push_back({c.gene, c.name, 229, 500});
        else if (c.gene == "SLC19A1")
            out.push_back({c.gene, c.name, 1, (c.cds_end - c.cds_start + 1) / 3 - 1}); // without the stop codon
    }
    return out;
}

namespace
{

constexpr double max_qual = 9999.0;

std::string format_percent(double f)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2g%%", 100.0 * f);
    return buf;
}

//!\brief HGVS c. of one codon change (substitution or delins), CDS numbering.
std::string hgvs_c_of(int64_t codon, std::string_view ref, std::string_view alt)
{
    int64_t const first = 3 * (codon - 1) + 1;
    size_t b = 0, e = 3;
    while (b < 3 && ref[b] == alt[b])
        ++b;
    while (e > b && ref[e - 1] == alt[e - 1])
        --e;
    if (e - b == 1)
        return "c." + std::to_string(first + static_cast<int64_t>(b)) + ref[b] + ">" + alt[b];
    return "c." + std::to_string(first + static_cast<int64_t>(b)) + "_" +
           std::to_string(first + static_cast<int64_t>(e) - 1) + "delins" + std::string{alt.substr(b, e - b)};
}

struct test_outcome
{
    double log_p = 0.0;
    std::optional<uint64_t> critical;
    double mean_error = 0.0;
};

/*!\brief The sequencing-error null for "a molecule is read as one of `alts`", per base-quality class.
 * \details A molecule's true codon is taken to be one of the observed codons that are not alternatives, in their
 *          observed proportions (the reference, and any real allele present: a T315I clone at 20 % misread at one
 *          more base is a source of T315? codons the reference alone would not explain). For quality q:
 *          e(q) = sum over codons c not in alts of w_c * P(c read as any of alts | q), w_c = count_c / their total.
 *          With no molecule outside `alts`, the reference codon is the source.
 */
std::vector<stats::error_class> error_classes(pileup::codon_pileup const & p,
                                              std::vector<std::string> const & alts,
                                              int max_bq)
{
    std::map<uint8_t, uint64_t> by_q;
    std::vector<std::pair<std::string const *, double>> sources;
    uint64_t source_total = 0;
    for (auto const & c : p.codons)
    {
        for (auto const & [q, n] : c.min_quality)
            by_q[std::min<uint8_t>(q, static_cast<uint8_t>(max_bq))] += n;
        if (std::find(alts.begin(), alts.end(), c.codon) == alts.end())
        {
            sources.emplace_back(&c.codon, static_cast<double>(c.molecules));
            source_total += c.molecules;
        }
    }
    if (source_total == 0)
        sources = {{&p.reference_codon, 1.0}}, source_total = 1;
    std::vector<stats::error_class> classes;
    for (auto const & [q, n] : by_q)
    {
        std::array<uint8_t, 3> const quals{q, q, q};
        double e = 0.0;
        for (auto const & [codon, weight] : sources)
            e += weight / static_cast<double>(source_total) *
                 stats::codon_error_probability(*codon, std::span<std::string const>{alts}, quals);
        classes.push_back({std::min(1.0, e), n});
    }
    return classes;
}

test_outcome run_test(std::vector<stats::error_class> const & classes,
                      uint64_t k,
                      stats::detection_rule const & rule)
{
    test_outcome t;
    t.log_p = stats::poisson_binomial_log_sf(classes, k);
    t.critical = stats::critical_count(classes, rule);
    double sum = 0.0;
    uint64_t n = 0;
    for (auto const & c : classes)
    {
        sum += c.probability * static_cast<double>(c.count);
        n += c.count;
    }
    t.mean_error = n ? sum / static_cast<double>(n) : 0.0;
    return t;
}

//!\brief The smallest count that reaches `fraction` of `depth` molecules.
uint64_t floor_count(uint64_t depth, double fraction)
{
    return static_cast<uint64_t>(std::ceil(fraction * static_cast<double>(depth) - 1e-9));
}

//!\brief Fill the statistics of `v` from the pileup at its codon.
void evaluate(variant_call & v,
              pileup::codon_pileup const & p,
              stats::detection_rule const & rule,
              call_options const & opt)
{
    v.depth = p.depth;
    v.alt_per_codon.assign(v.alt_codons.size(), 0);
    for (auto const & c : p.codons)
    {
        bool const is_ref = c.codon == v.ref_codon;
        auto it = std::find(v.alt_codons.begin(), v.alt_codons.end(), c.codon);
        if (is_ref)
        {
            v.ref_molecules = c.molecules;
            v.strands.ref_forward = c.forward;
            v.strands.ref_reverse = c.reverse;
        }
        else if (it != v.alt_codons.end())
        {
            v.alt_per_codon[static_cast<size_t>(it - v.alt_codons.begin())] += c.molecules;
            v.alt_molecules += c.molecules;
            v.strands.alt_forward += c.forward;
            v.strands.alt_reverse += c.reverse;
        }
    }
    v.fraction = v.depth ? static_cast<double>(v.alt_molecules) / static_cast<double>(v.depth) : 0.0;
    v.ci = stats::wilson_interval(v.alt_molecules, v.depth);
    v.bias = stats::strand_bias_test(v.strands, opt.strand);
    if (!p.located)
    {
        v.call = status::not_assessable;
        v.reason = "the codon has no position on the input's reference (" + v.transcript +
                   " absent, or no exon-table coordinates for it in genome-aligned input)";
        return;
    }
    if (v.depth == 0)
    {
        v.call = status::not_assessable;
        v.reason = "no molecule covers the codon with passing quality";
        return;
    }
    auto const classes = error_classes(p, v.alt_codons, opt.max_base_quality);
    auto const t = run_test(classes, v.alt_molecules, rule);
    v.qual = std::min(max_qual, stats::phred_from_log(t.log_p));
    v.critical = t.critical;
    if (v.critical)
        v.critical = std::max(*v.critical, floor_count(v.depth, opt.min_fraction));
    if (v.critical && *v.critical > v.depth)
        v.critical.reset(); // the floor cannot be reached at this depth
    if (v.critical)
        v.lod = stats::limit_of_detection(v.depth, t.mean_error, *v.critical, rule.power);
    if (v.critical && v.alt_molecules >= *v.critical)
        v.call = status::detected;
    else if (v.lod && *v.lod <= opt.min_vaf)
    {
        v.call = status::not_detected;
        if (t.critical && v.alt_molecules >= *t.critical)
            v.reason = "significant against sequencing error (QUAL " + std::to_string(static_cast<int>(v.qual)) +
                       ") but " + format_percent(v.fraction) + " is below the reporting floor --min-fraction " +
                       format_percent(opt.min_fraction);
    }
    else
    {
        v.call = status::not_assessable;
        v.reason = v.lod ? "limit of detection " + format_percent(*v.lod) + " at depth " + std::to_string(v.depth) +
                               " is above --min-vaf " + format_percent(opt.min_vaf)
                         : "depth " + std::to_string(v.depth) + " is too low to detect any fraction";
    }
}

std::string one_letter_name(char ref_aa, int64_t codon, char alt_aa)
{
    return std::string(1, ref_aa) + std::to_string(codon) + std::string(1, alt_aa);
}

std::string hgvs_p_of(char ref_aa, int64_t codon, char alt_aa)
{
    return "p." + std::string{catalogue::three_letter(ref_aa)} + std::to_string(codon) +
           std::string{catalogue::three_letter(alt_aa)};
}

// ---- fusion junction reads -------------------------------------------------------------------------------------

struct hts_file_closer
{
    void operator()(htsFile * f) const noexcept
    {
        hts_close(f);
    }
};
struct hdr_closer
{
    void operator()(sam_hdr_t * h) const noexcept
    {
        sam_hdr_destroy(h);
    }
};
struct idx_closer
{
    void operator()(hts_idx_t * i) const noexcept
    {
        hts_idx_destroy(i);
    }
};
struct itr_closer
{
    void operator()(hts_itr_t * i) const noexcept
    {
        hts_itr_destroy(i);
    }
};
struct bam_closer
{
    void operator()(bam1_t * b) const noexcept
    {
        bam_destroy1(b);
    }
};

fusion_call count_junctions(std::string const & path,
                            reference::panel const & panel,
                            pileup::reference_kind kind,
                            call_options const & opt)
{
    fusion_call f;
    for (auto const & c : panel.contigs())
        if (c.kind == "fusion" && c.junction_after > 0)
        {
            auto const u = c.name.rfind('_');
            f.reads[u == std::string::npos ? c.name : c.name.substr(u + 1)] = 0;
        }
    if (kind != pileup::reference_kind::panel)
    {
        f.assessable = false;
        f.note = "junction reads are counted on the panel's fusion transcripts only; for genome-aligned input, give "
                 "the FASTQ (chemores call aligns it) or align with chemores align";
        f.type = "not assessable";
        return f;
    }
    std::unique_ptr<htsFile, hts_file_closer> fp{hts_open(path.c_str(), "r")};
    if (!fp)
        throw input_error{path, "cannot open"};
    if (!opt.pileup.reference_path.empty())
        hts_set_fai_filename(fp.get(), opt.pileup.reference_path.c_str());
    std::unique_ptr<sam_hdr_t, hdr_closer> hdr{sam_hdr_read(fp.get())};
    if (!hdr)
        throw input_error{path, "not a SAM/BAM/CRAM file, or its header is damaged"};
    std::unique_ptr<hts_idx_t, idx_closer> idx{sam_index_load(fp.get(), path.c_str())};
    if (!idx)
        throw input_error{path, "no index (.bai, .csi or .crai) found"};
    std::unique_ptr<bam1_t, bam_closer> b{bam_init1()};
    for (auto const & c : panel.contigs())
    {
        if (c.kind != "fusion" || c.junction_after <= 0)
            continue;
        int const tid = sam_hdr_name2tid(hdr.get(), c.name.c_str());
        if (tid < 0)
            continue;
        auto const u = c.name.rfind('_');
        std::string const type = u == std::string::npos ? c.name : c.name.substr(u + 1);
        int64_t const j = c.junction_after; // 0-based first base of the 3' partner
        std::unique_ptr<hts_itr_t, itr_closer> itr{sam_itr_queryi(idx.get(), tid, j - 1, j + 1)};
        if (!itr)
            throw input_error{path, "cannot query " + c.name + " in the index"};
        std::unordered_set<std::string> molecules;
        int r = 0;
        while ((r = sam_itr_next(fp.get(), itr.get(), b.get())) >= 0)
        {
            if (b->core.flag & opt.pileup.exclude_flags)
                continue;
            if (b->core.qual < opt.pileup.min_mapping_quality && b->core.qual != 255)
                continue;
            if (pileup::spans_junction(b.get(), j, opt.junction_anchor))
                molecules.insert(bam_get_qname(b.get()));
        }
        if (r < -1)
            throw input_error{path, "truncated or corrupt while reading " + c.name};
        f.reads[type] = molecules.size();
    }
    for (auto const & [type, n] : f.reads)
        if (n >= opt.min_alt_molecules)
            f.type += (f.type.empty() ? "" : "+") + type;
    if (f.type.empty())
        f.type = "none found";
    return f;
}

// ---- compounds --------------------------------------------------------------------------------------------------

} // namespace

void classify_compound(compound_call & cc, uint64_t min_alt, double min_fraction)
{
    auto const & n = cc.counts;
    uint64_t const min_both = std::max(min_alt, floor_count(n.molecules(), min_fraction));
    if (n.molecules() == 0)
        cc.evidence = "not_linked";
    else if (n.both >= min_both && n.first_only >= min_alt && n.second_only >= min_alt)
        cc.evidence = "cis+trans";
    else if (n.both >= min_both)
        cc.evidence = "cis";
    else if (n.first_only > 0 && n.second_only > 0)
        cc.evidence = "trans";
    else
        cc.evidence = "undetermined";
    cc.cis_fraction = n.molecules() ? static_cast<double>(n.both) / static_cast<double>(n.molecules()) : 0.0;
    cc.ci = stats::wilson_interval(n.both, n.molecules());
}

namespace
{

void match_catalogue(compound_call & cc, variant_call const & a, variant_call const & b,
                     catalogue::catalogue const & cat)
{
    if (cc.evidence != "cis" && cc.evidence != "cis+trans")
        return;
    for (auto const & row : cat.compounds())
    {
        bool match = false;
        switch (row.kind)
        {
            case catalogue::compound_kind::specific:
                match = row.components.size() == 2 &&
                        ((row.components[0] == a.id && row.components[1] == b.id) ||
                         (row.components[0] == b.id && row.components[1] == a.id));
                break;
            case catalogue::compound_kind::class_with_anchor:
                match = a.id == row.anchor || b.id == row.anchor;
                break;
            case catalogue::compound_kind::class_without_anchor:
                match = !a.vus && !b.vus && a.id != row.anchor && b.id != row.anchor;
                break;
        }
        if (!match)
            continue;
        cc.catalogue_matches.push_back(row.name);
        for (auto const & d : row.drugs_affected)
            if (std::find(cc.drugs_affected.begin(), cc.drugs_affected.end(), d) == cc.drugs_affected.end())
                cc.drugs_affected.push_back(d);
    }
}

} // namespace

// ---- drugs ------------------------------------------------------------------------------------------------------

std::vector<drug_call> interpret_drugs(sample_result const & s, catalogue::catalogue const & cat)
{
    std::vector<drug_call> out;
    for (auto const & drug : cat.drugs())
    {
        drug_call d;
        d.drug = drug;
        bool resistant = false, reduced = false;
        for (auto const & v : s.calls)
        {
            auto const * e = v.entry ? v.entry->effect_for(drug) : nullptr;
            if (!e || (e->call != catalogue::effect::resistant && e->call != catalogue::effect::intermediate))
                continue;
            if (v.call == status::detected)
            {
                (e->call == catalogue::effect::resistant ? resistant : reduced) = true;
                d.drivers.push_back(
                    {v.name, std::string{catalogue::to_string(e->call)}, v.fraction, e->ic50_fold, v.entry->sources});
            }
            else if (v.call == status::not_assessable)
                d.unassessable.push_back(v.name);
        }
        for (auto const & cc : s.compounds)
        {
            if (std::find(cc.drugs_affected.begin(), cc.drugs_affected.end(), drug) == cc.drugs_affected.end())
                continue;
            resistant = true;
            std::vector<std::string> sources;
            for (auto const & row : cat.compounds())
                if (std::find(cc.catalogue_matches.begin(), cc.catalogue_matches.end(), row.name) !=
                    cc.catalogue_matches.end())
                    sources.insert(sources.end(), row.sources.begin(), row.sources.end());
            d.drivers.push_back({cc.name, "resistant (compound in cis)", cc.cis_fraction, std::nullopt, sources});
        }
        d.verdict = resistant                ? drug_verdict::resistant
                    : reduced                ? drug_verdict::reduced_sensitivity
                    : !d.unassessable.empty() ? drug_verdict::not_assessable
                                             : drug_verdict::no_known_resistance_detected;
        out.push_back(std::move(d));
    }
    return out;
}

namespace
{

stats::detection_rule make_rule(call_options const & opt, uint64_t tests)
{
    stats::detection_rule rule;
    rule.alpha = opt.alpha;
    rule.tests = std::max<uint64_t>(1, tests);
    rule.min_alt_molecules = opt.min_alt_molecules;
    return rule;
}

} // namespace

void complete_vus(std::vector<sample_result> & samples, call_options const & opt)
{
    std::vector<variant_call> seen; // every VUS detected somewhere, first-seen order
    for (auto const & s : samples)
        for (auto const & v : s.vus)
            if (std::none_of(seen.begin(), seen.end(), [&](variant_call const & x) {
                    return x.transcript == v.transcript && x.offset == v.offset && x.alt_codons == v.alt_codons;
                }))
                seen.push_back(v);
    for (auto & s : samples)
    {
        auto const rule = make_rule(opt, s.vus_tests);
        for (auto const & like : seen)
        {
            if (std::any_of(s.vus.begin(), s.vus.end(), [&](variant_call const & x) {
                    return x.transcript == like.transcript && x.offset == like.offset &&
                           x.alt_codons == like.alt_codons;
                }))
                continue;
            auto p = std::find_if(s.region_piles.begin(), s.region_piles.end(), [&](pileup::codon_pileup const & x) {
                return x.where.contig == like.transcript && x.where.start == like.offset;
            });
            if (p == s.region_piles.end())
                continue;
            variant_call v = like;
            v.depth = v.ref_molecules = v.alt_molecules = 0;
            v.strands = {};
            v.lod.reset();
            v.critical.reset();
            v.qual = 0;
            v.reason.clear();
            evaluate(v, *p, rule, opt);
            s.vus.push_back(std::move(v));
        }
        std::sort(s.vus.begin(), s.vus.end(), [](variant_call const & a, variant_call const & b) {
            return std::tie(a.gene, a.codon, a.alt_codons) < std::tie(b.gene, b.codon, b.alt_codons);
        });
    }
}

sample_result call_sample(std::string const & name,
                          std::string const & path,
                          reference::panel const & panel,
                          catalogue::catalogue const & cat,
                          call_options const & opt)
{
    if (!(opt.min_vaf > 0.0 && opt.min_vaf < 1.0))
        throw config_error{"--min-vaf must be in (0, 1), got " + std::to_string(opt.min_vaf)};
    if (!(opt.alpha > 0.0 && opt.alpha < 1.0))
        throw config_error{"--alpha must be in (0, 1), got " + std::to_string(opt.alpha)};
    if (opt.max_base_quality < 1 || opt.max_base_quality > 93)
        throw config_error{"--max-base-quality must be in 1..93, got " + std::to_string(opt.max_base_quality)};
    if (opt.min_alt_molecules < 1)
        throw config_error{"--min-alt-molecules must be at least 1"};
    if (!(opt.min_fraction >= 0.0 && opt.min_fraction < opt.min_vaf))
        throw config_error{"--min-fraction must be in [0, --min-vaf), got " + std::to_string(opt.min_fraction)};

    sample_result s;
    s.name = name;
    s.input = path;

    // 1. Targets: catalogue codons, then every codon of the VUS regions; one pileup pass.
    std::vector<pileup::target> targets;
    std::map<pileup::target, size_t> index;
    auto add = [&](std::string const & contig, int64_t start) {
        pileup::target t{contig, start};
        auto [it, fresh] = index.try_emplace(t, targets.size());
        if (fresh)
            targets.push_back(t);
        return it->second;
    };
    std::vector<size_t> entry_target;
    for (auto const & m : cat.mutations())
        entry_target.push_back(add(m.transcript, m.transcript_offset()));
    struct vus_codon
    {
        vus_region const * region;
        int64_t codon;
        size_t target;
    };
    auto const regions = opt.vus ? default_vus_regions(panel) : std::vector<vus_region>{};
    std::vector<vus_codon> vus_codons;
    for (auto const & r : regions)
    {
        auto const id = panel.find(r.contig);
        auto const & c = panel.contigs()[*id];
        for (int64_t k = r.first_codon; k <= r.last_codon; ++k)
            vus_codons.push_back({&r, k, add(r.contig, c.cds_start - 1 + 3 * (k - 1))});
    }
    auto const piles = pileup::pile_up(path, panel, targets, opt.pileup);

    // Reference kind: the pileup detected it; ask again cheaply from located contigs.
    {
        std::unique_ptr<htsFile, hts_file_closer> fp{hts_open(path.c_str(), "r")};
        std::unique_ptr<sam_hdr_t, hdr_closer> hdr{fp ? sam_hdr_read(fp.get()) : nullptr};
        if (!hdr)
            throw input_error{path, "not a SAM/BAM/CRAM file, or its header is damaged"};
        std::vector<std::pair<std::string, int64_t>> sq;
        for (int i = 0; i < sam_hdr_nref(hdr.get()); ++i)
            sq.emplace_back(sam_hdr_tid2name(hdr.get(), i), static_cast<int64_t>(sam_hdr_tid2len(hdr.get(), i)));
        s.reference = pileup::detect_reference(sq, panel, path);
    }

    // 2. Catalogue entries.
    auto const rule = make_rule(opt, cat.mutations().size());
    s.catalogue_tests = rule.tests;
    for (size_t i = 0; i < cat.mutations().size(); ++i)
    {
        auto const & m = cat.mutations()[i];
        variant_call v;
        v.id = m.id;
        v.gene = m.gene;
        v.name = m.name;
        v.transcript = m.transcript;
        v.codon = m.codon;
        v.offset = m.transcript_offset();
        v.ref_codon = m.ref_codon;
        v.alt_codons = m.alt_codons();
        for (auto const & codon : v.alt_codons)
            for (auto const & r : m.routes)
                if (r.alt_codon == codon)
                {
                    v.hgvs_c.push_back(r.hgvs_c);
                    break;
                }
        v.hgvs_p = m.hgvs_p;
        v.entry = &m;
        evaluate(v, piles[entry_target[i]], rule, opt);
        s.calls.push_back(std::move(v));
    }

    // 3. VUS: every other non-synonymous codon seen in the regions.
    auto const vus_rule = make_rule(opt, vus_codons.size() * 63);
    s.vus_tests = opt.vus ? vus_rule.tests : 0;
    std::set<std::pair<std::string, std::string>> catalogued; // (transcript:offset, alt codon)
    for (auto const & v : s.calls)
        for (auto const & a : v.alt_codons)
            catalogued.insert({v.transcript + ":" + std::to_string(v.offset), a});
    for (auto const & vc : vus_codons)
    {
        auto const & p = piles[vc.target];
        char const ref_aa = catalogue::translate(p.reference_codon);
        for (auto const & c : p.codons)
        {
            if (c.codon == p.reference_codon || c.molecules < opt.min_alt_molecules)
                continue;
            char const alt_aa = catalogue::translate(c.codon);
            if (alt_aa == catalogue::unknown_aa || alt_aa == ref_aa)
                continue;
            if (catalogued.contains({p.where.contig + ":" + std::to_string(p.where.start), c.codon}))
                continue;
            // Most candidates are sequencing errors: one tail probability rules them out before the full evaluation
            // (critical count, limit of detection), which only a reported VUS needs.
            {
                auto const classes = error_classes(p, {c.codon}, opt.max_base_quality);
                if (stats::poisson_binomial_log_sf(classes, c.molecules) > std::log(vus_rule.per_test_alpha()))
                    continue;
            }
            variant_call v;
            v.vus = true;
            v.gene = vc.region->gene;
            v.name = one_letter_name(ref_aa, vc.codon, alt_aa);
            v.id = v.gene + ":" + v.name;
            v.transcript = p.where.contig;
            v.codon = vc.codon;
            v.offset = p.where.start;
            v.ref_codon = p.reference_codon;
            v.alt_codons = {c.codon};
            v.hgvs_c = {hgvs_c_of(vc.codon, p.reference_codon, c.codon)};
            v.hgvs_p = hgvs_p_of(ref_aa, vc.codon, alt_aa);
            evaluate(v, p, vus_rule, opt);
            if (v.call == status::detected)
                s.vus.push_back(std::move(v));
        }
    }
    std::sort(s.vus.begin(), s.vus.end(), [](variant_call const & a, variant_call const & b) {
        return std::tie(a.gene, a.codon, a.alt_codons) < std::tie(b.gene, b.codon, b.alt_codons);
    });

    // Coverage of the kinase domain (and any VUS region) for plots: depth and LOD of a one-substitution change.
    {
        std::set<std::pair<std::string, int64_t>> cat_codons;
        for (auto const & m : cat.mutations())
            cat_codons.insert({m.gene, m.codon});
        for (auto const & vc : vus_codons)
        {
            auto const & p = piles[vc.target];
            codon_coverage cv{vc.region->gene, vc.codon, p.depth, std::nullopt,
                              cat_codons.contains({vc.region->gene, vc.codon})};
            if (p.depth > 0)
            {
                // A one-substitution change; the critical count from the binomial with the mean error (conservative
                // against the Poisson-binomial, and O(1) per count, so the whole region costs little).
                std::string alt = p.reference_codon;
                alt[1] = alt[1] == 'A' ? 'C' : 'A';
                auto const classes = error_classes(p, {alt}, opt.max_base_quality);
                double sum = 0.0;
                for (auto const & x : classes)
                    sum += x.probability * static_cast<double>(x.count);
                double const e = sum / static_cast<double>(p.depth);
                double const log_alpha = std::log(rule.per_test_alpha());
                for (uint64_t k = std::max<uint64_t>(1, rule.min_alt_molecules); k <= p.depth; ++k)
                    if (stats::binomial_log_sf(p.depth, k, e) <= log_alpha)
                    {
                        uint64_t const critical = std::max(k, floor_count(p.depth, opt.min_fraction));
                        if (critical <= p.depth)
                            cv.lod = stats::limit_of_detection(p.depth, e, critical, rule.power);
                        break;
                    }
            }
            s.coverage.push_back(cv);
        }
    }

    for (auto const & vc : vus_codons)
        s.region_piles.push_back(piles[vc.target]);

    // 4. Compounds: every pair of detected variants on the same transcript.
    std::vector<variant_call const *> detected;
    for (auto const & v : s.calls)
        if (v.call == status::detected)
            detected.push_back(&v);
    for (auto const & v : s.vus)
        detected.push_back(&v);
    std::vector<pileup::link_query> queries;
    std::vector<std::pair<variant_call const *, variant_call const *>> pairs;
    for (size_t i = 0; i < detected.size(); ++i)
        for (size_t j = i + 1; j < detected.size(); ++j)
        {
            auto const * a = detected[i];
            auto const * b = detected[j];
            if (a->transcript != b->transcript || a->offset == b->offset)
                continue;
            if (a->offset > b->offset)
                std::swap(a, b);
            queries.push_back({{{a->transcript, a->offset}, a->alt_codons}, {{b->transcript, b->offset}, b->alt_codons}});
            pairs.emplace_back(a, b);
        }
    if (!queries.empty())
    {
        auto const links = pileup::linked_codons(path, panel, queries, opt.pileup);
        for (size_t i = 0; i < pairs.size(); ++i)
        {
            auto const & [a, b] = pairs[i];
            compound_call cc;
            cc.first = a->id;
            cc.second = b->id;
            cc.name = a->name + "+" + b->name;
            cc.counts = links[i];
            classify_compound(cc, opt.min_alt_molecules, opt.min_fraction);
            match_catalogue(cc, *a, *b, cat);
            s.compounds.push_back(std::move(cc));
        }
    }

    // 5. Fusion type; 6. drugs.
    s.fusion = count_junctions(path, panel, s.reference, opt);
    s.drugs = interpret_drugs(s, cat);
    return s;
}

} // namespace chemores::call
