// OwlTool: the two things rlskg asks of the OWL API (the library Protege is built on).
//
//   profile FILE      load FILE (Turtle if it ends in .ttl, else any format the OWL API reads;
//                     imports resolved through catalog-v001.xml beside it, never the
//                     network), check the import closure against the OWL 2 DL profile, print one
//                     line per violation and the axiom counts; exit 1 if there is any violation.
//   profile URL       the same for an ontology loaded from an http(s) IRI, as Protege's "Open from
//                     URL" does (the OWL API's own content negotiation and redirects).
//   save FILE OUT     load FILE and save it to OUT as Turtle, as Protege's "Save" does (the format
//                     and prefixes it was loaded with).
//   extract FILE TERMS OUT BOT|STAR|TOP PROPS
//                     the syntactic-locality module (SLME, what `robot extract --method BOT` makes)
//                     of FILE (an upstream ontology in any format the OWL API reads: RDF/XML, OBO,
//                     Turtle, OWL/XML, functional syntax; its own imports are not followed) for the
//                     entities whose IRIs TERMS lists (one a line), filtered as ODK filters its
//                     import modules: SWRL rules (not OWL 2 DL), axioms about individuals and axiom
//                     annotations dropped, and
//                     of the annotation assertions only those of the module's entities with a
//                     property PROPS lists (comma-separated IRIs) kept; every entity the result
//                     uses declared; saved to OUT as RDF/XML. A listed IRI that FILE does not
//                     declare is printed as MISSING (exit 1).
//
// Output lines are tab-separated so that the Python wrapper (ontology/owlapi.py) needs no parser:
//   VIOLATION <tab> violation class <tab> subject (IRI or "-") <tab> message
//   STAT <tab> name <tab> number
//   MISSING <tab> IRI                      (extract: a seed term the upstream file lacks)
//   ERROR <tab> message                    (exit 2: the file or an import could not be loaded)
// Exit codes: 0 ok, 1 profile violations, 2 bad input or usage.

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.PrefixDocumentFormat;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLAnnotationAssertionAxiom;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLException;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.SWRLRule;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import uk.ac.manchester.cs.owlapi.modularity.ModuleType;
import uk.ac.manchester.cs.owlapi.modularity.SyntacticLocalityModuleExtractor;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public final class OwlTool {
    private static final String CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog";

    private OwlTool() {}

    public static void main(String[] args) {
        try {
            if (args.length == 2 && args[0].equals("profile") && isUrl(args[1])) {
                OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
                System.exit(profile(loadIri(manager, args[1])));
            } else if (args.length == 2 && args[0].equals("profile")) {
                File file = new File(args[1]);
                System.exit(profile(load(newManager(file), file)));
            } else if (args.length == 3 && args[0].equals("save")) {
                System.exit(save(new File(args[1]), new File(args[2])));
            } else if (args.length == 6 && args[0].equals("extract")) {
                System.exit(extract(new File(args[1]), new File(args[2]), new File(args[3]), args[4], args[5]));
            }
            System.err.println("usage: OwlTool profile FILE|URL | OwlTool save FILE OUT"
                + " | OwlTool extract FILE TERMS OUT BOT|STAR|TOP PROPS");
            System.exit(2);
        } catch (LoadFailure e) {
            System.out.println("ERROR\t" + oneLine(e.getMessage()));
            System.exit(2);
        }
    }

    private static boolean isUrl(String target) {
        return target.startsWith("http://") || target.startsWith("https://");
    }

    private static int profile(OWLOntology ontology) {
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            Object expression = violation.getExpression();
            String subject = expression instanceof OWLEntity
                ? ((OWLEntity) expression).getIRI().toString()
                : expression instanceof IRI ? expression.toString() : "-";
            System.out.println("VIOLATION\t" + violation.getClass().getSimpleName() + "\t" + subject
                + "\t" + oneLine(violation.toString()));
        }
        System.out.println("STAT\taxioms\t" + ontology.getAxiomCount(Imports.EXCLUDED));
        System.out.println("STAT\tlogical axioms\t" + ontology.getLogicalAxiomCount(Imports.EXCLUDED));
        System.out.println("STAT\taxioms with imports\t" + ontology.getAxiomCount(Imports.INCLUDED));
        System.out.println("STAT\tclasses\t" + ontology.getClassesInSignature(Imports.EXCLUDED).size());
        System.out.println("STAT\tequivalent classes axioms\t"
            + ontology.getAxiomCount(AxiomType.EQUIVALENT_CLASSES, Imports.EXCLUDED));
        return report.isInProfile() ? 0 : 1;
    }

    private static int save(File file, File out) {
        OWLOntologyManager manager = newManager(file);
        OWLOntology ontology = load(manager, file);
        // Protege saves with the document format the ontology was loaded with, prefixes included.
        TurtleDocumentFormat format = new TurtleDocumentFormat();
        OWLDocumentFormat loaded = manager.getOntologyFormat(ontology);
        if (loaded instanceof PrefixDocumentFormat) {
            format.copyPrefixesFrom((PrefixDocumentFormat) loaded);
        }
        try {
            manager.saveOntology(ontology, format, IRI.create(out.getAbsoluteFile()));
        } catch (OWLException e) {
            throw new LoadFailure("cannot save " + out + ": " + e.getMessage());
        }
        return 0;
    }

    private static int extract(File file, File terms, File out, String method, String props) {
        ModuleType type;
        try {
            type = ModuleType.valueOf(method);
        } catch (IllegalArgumentException e) {
            throw new LoadFailure("unknown module type " + method + " (BOT, STAR or TOP)");
        }
        // An upstream file is read on its own: its imports are neither followed nor fetched.
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        manager.getIRIMappers().clear();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(file), config);
        } catch (OWLException | RuntimeException e) {
            throw new LoadFailure("cannot load " + file + ": " + e.getMessage());
        }
        Set<OWLEntity> seeds = new HashSet<>();
        int missing = 0;
        try {
            for (String line : Files.readAllLines(terms.toPath(), StandardCharsets.UTF_8)) {
                String iri = line.trim();
                if (iri.isEmpty()) {
                    continue;
                }
                Set<OWLEntity> found = ontology.getEntitiesInSignature(IRI.create(iri), Imports.EXCLUDED);
                if (found.isEmpty()) {
                    System.out.println("MISSING\t" + iri);
                    missing++;
                }
                seeds.addAll(found);
            }
        } catch (IOException e) {
            throw new LoadFailure("cannot read " + terms + ": " + e.getMessage());
        }
        SyntacticLocalityModuleExtractor extractor = new SyntacticLocalityModuleExtractor(manager, ontology, type);
        Set<IRI> kept = new HashSet<>();
        for (String prop : props.split(",")) {
            if (!prop.isEmpty()) {
                kept.add(IRI.create(prop));
            }
        }
        Set<OWLAxiom> axioms = new HashSet<>();
        Set<OWLEntity> signature = new HashSet<>(seeds);
        for (OWLAxiom axiom : extractor.extract(seeds)) {
            // ODK's `slme_individuals: exclude`: no axiom about an individual (RO's example
            // ecoregions, curation-status values), which the terms we import never need.
            if (axiom.isLogicalAxiom() && !(axiom instanceof SWRLRule)
                    && axiom.getIndividualsInSignature().isEmpty()) {
                axioms.add(axiom.getAxiomWithoutAnnotations());
                signature.addAll(axiom.getSignature());
            }
        }
        for (OWLEntity entity : signature) {
            for (OWLAnnotationAssertionAxiom annotation : ontology.getAnnotationAssertionAxioms(entity.getIRI())) {
                if (kept.contains(annotation.getProperty().getIRI())) {
                    axioms.add(annotation.getAxiomWithoutAnnotations());
                }
            }
        }
        Set<OWLEntity> used = new HashSet<>();
        for (OWLAxiom axiom : axioms) {
            used.addAll(axiom.getSignature());
        }
        used.addAll(seeds);
        for (OWLEntity entity : used) {
            if (!entity.isBuiltIn()) {
                axioms.add(manager.getOWLDataFactory().getOWLDeclarationAxiom(entity));
            }
        }
        try {
            OWLOntology module = manager.createOntology(axioms);
            manager.saveOntology(module, new RDFXMLDocumentFormat(), IRI.create(out.getAbsoluteFile()));
            System.out.println("STAT\tmodule axioms\t" + module.getAxiomCount());
            System.out.println("STAT\tmodule logical axioms\t" + module.getLogicalAxiomCount());
        } catch (OWLException e) {
            throw new LoadFailure("cannot save " + out + ": " + e.getMessage());
        }
        return missing == 0 ? 0 : 1;
    }

    private static OWLOntology load(OWLOntologyManager manager, File file) {
        if (!file.isFile()) {
            throw new LoadFailure(file + ": no such file");
        }
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION);
        // Turtle for .ttl (the edit file); any other file (the release's RDF/XML .owl) in the
        // format the OWL API's parsers recognise.
        FileDocumentSource source = file.getName().endsWith(".ttl")
            ? new FileDocumentSource(file, new TurtleDocumentFormat())
            : new FileDocumentSource(file);
        try {
            return manager.loadOntologyFromOntologyDocument(source, config);
        } catch (OWLException | RuntimeException e) {
            throw new LoadFailure("cannot load " + file + ": " + e.getMessage());
        }
    }

    private static OWLOntology loadIri(OWLOntologyManager manager, String url) {
        try {
            return manager.loadOntology(IRI.create(url));
        } catch (OWLException | RuntimeException e) {
            throw new LoadFailure("cannot load " + url + ": " + e.getMessage());
        }
    }

    private static OWLOntologyManager newManager(File file) {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        Map<IRI, IRI> catalog = readCatalog(new File(file.getAbsoluteFile().getParentFile(), "catalog-v001.xml"));
        manager.getIRIMappers().clear();
        manager.getIRIMappers().add(new CatalogOnlyMapper(catalog));
        return manager;
    }

    // The catalog Protege reads: <uri name="import IRI" uri="path relative to the catalog"/>.
    private static Map<IRI, IRI> readCatalog(File catalog) {
        Map<IRI, IRI> mappings = new LinkedHashMap<>();
        if (!catalog.isFile()) {
            return mappings;
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            NodeList uris = factory.newDocumentBuilder().parse(catalog).getElementsByTagNameNS(CATALOG_NS, "uri");
            for (int i = 0; i < uris.getLength(); i++) {
                Element uri = (Element) uris.item(i);
                File target = new File(catalog.getParentFile(), uri.getAttribute("uri"));
                mappings.put(IRI.create(uri.getAttribute("name")), IRI.create(target.getAbsoluteFile()));
            }
        } catch (Exception e) {
            throw new LoadFailure("cannot read " + catalog + ": " + e.getMessage());
        }
        return mappings;
    }

    // Maps import IRIs through the catalog only: an IRI the catalog lacks fails the load instead
    // of being fetched from the network.
    private static final class CatalogOnlyMapper implements OWLOntologyIRIMapper {
        private static final long serialVersionUID = 1L;
        private final Map<IRI, IRI> catalog;

        CatalogOnlyMapper(Map<IRI, IRI> catalog) {
            this.catalog = catalog;
        }

        @Override
        public IRI getDocumentIRI(IRI ontologyIRI) {
            IRI document = catalog.get(ontologyIRI);
            if (document == null) {
                throw new LoadFailure("import " + ontologyIRI + " is not mapped in catalog-v001.xml");
            }
            return document;
        }
    }

    private static final class LoadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoadFailure(String message) {
            super(message);
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
