import Catalog

/// What the copy needs from the catalog: destinations and their ledger, the staged-file ledger, and the shared
/// queue of leased copy work.
public typealias DeliveryCatalog = DestinationCatalog & StagedFileLedger & CopyWorkQueue
