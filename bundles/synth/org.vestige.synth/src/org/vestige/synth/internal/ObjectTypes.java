package org.vestige.synth.internal;

import java.util.List;
import java.util.Random;

import org.vestige.core.types.Profile;

/**
 * The object types of one build in {@code ObTypeIndexTable} order, and how an {@code _OBJECT_HEADER}'s
 * TypeIndex is encoded.
 *
 * <p>Facts, each from a public source:
 * <ul>
 * <li>{@code ObTypeIndexTable} holds a pointer to each {@code _OBJECT_TYPE} at the type's index; slot 0 is
 * null and slot 1 holds the marker 0xbad0b0b0, so the first real type (Type) has index 2 (Windows Internals
 * 7th ed., part 1, ch. 8, "Object types"; the same layout is what WinDbg's {@code !object \ObjectTypes}
 * and Volatility's type map show).</li>
 * <li>The order is the order in which the kernel creates the types at boot; the lists below follow the
 * published {@code !object \ObjectTypes} listings of Windows 7 SP1 x64, Windows 10 1809 and 2004 and
 * Windows 11 21H2 (Windows 10 2004 adds ActivationObject after CoreMessaging; Windows 11 adds
 * ProcessStateChange, ThreadStateChange and IoRing). Only the common types' indexes matter to a reader,
 * which takes each name from {@code _OBJECT_TYPE.Name}, never from the index.</li>
 * <li>From Windows 10 (build 10240) the header's TypeIndex byte is the index XOR the second byte of the
 * header's address XOR the byte {@code nt!ObHeaderCookie}; Windows 7 and 8 store the index itself
 * (Windows Internals 7th ed., part 1, ch. 8, "Object headers and bodies").</li>
 * </ul>
 */
final class ObjectTypes {

    private static final List<String> WIN7 = List.of("Type", "Directory", "SymbolicLink", "Token", "Job",
            "Process", "Thread", "UserApcReserve", "IoCompletionReserve", "DebugObject", "Event", "EventPair",
            "Mutant", "Callback", "Semaphore", "Timer", "Profile", "KeyedEvent", "WindowStation", "Desktop",
            "TpWorkerFactory", "Adapter", "Controller", "Device", "Driver", "IoCompletion", "File", "TmTm", "TmTx",
            "TmRm", "TmEn", "Section", "Session", "Key", "ALPC Port", "PowerRequest", "WmiGuid", "EtwRegistration",
            "EtwConsumer", "FilterConnectionPort", "FilterCommunicationPort", "PcwObject");

    private static final List<String> WIN10_1809 = List.of("Type", "Directory", "SymbolicLink", "Token", "Job",
            "Process", "Thread", "Partition", "UserApcReserve", "IoCompletionReserve", "ActivityReference",
            "PsSiloContextPaged", "PsSiloContextNonPaged", "DebugObject", "Event", "Mutant", "Callback", "Semaphore",
            "Timer", "IRTimer", "Profile", "KeyedEvent", "WindowStation", "Desktop", "Composition",
            "RawInputManager", "CoreMessaging", "TpWorkerFactory", "Adapter", "Controller", "Device", "Driver",
            "IoCompletion", "WaitCompletionPacket", "File", "TmTm", "TmTx", "TmRm", "TmEn", "Section", "Session",
            "Key", "RegistryTransaction", "ALPC Port", "EnergyTracker", "PowerRequest", "WmiGuid",
            "EtwRegistration", "EtwSessionDemuxEntry", "EtwConsumer", "DmaAdapter", "PcwObject",
            "FilterConnectionPort", "FilterCommunicationPort", "NdisCmState", "DxgkSharedResource",
            "DxgkSharedSyncObject", "DxgkSharedSwapChainObject", "DxgkCurrentDxgProcessObject",
            "VRegConfigurationContext");

    private static final List<String> WIN10_2004 = List.of("Type", "Directory", "SymbolicLink", "Token", "Job",
            "Process", "Thread", "Partition", "UserApcReserve", "IoCompletionReserve", "ActivityReference",
            "PsSiloContextPaged", "PsSiloContextNonPaged", "DebugObject", "Event", "Mutant", "Callback", "Semaphore",
            "Timer", "IRTimer", "Profile", "KeyedEvent", "WindowStation", "Desktop", "Composition",
            "RawInputManager", "CoreMessaging", "ActivationObject", "TpWorkerFactory", "Adapter", "Controller",
            "Device", "Driver", "IoCompletion", "WaitCompletionPacket", "File", "TmTm", "TmTx", "TmRm", "TmEn",
            "Section", "Session", "Key", "RegistryTransaction", "ALPC Port", "EnergyTracker", "PowerRequest",
            "WmiGuid", "EtwRegistration", "EtwSessionDemuxEntry", "EtwConsumer", "CoverageSampler", "DmaAdapter",
            "PcwObject", "FilterConnectionPort", "FilterCommunicationPort", "NdisCmState", "DxgkSharedResource",
            "DxgkSharedKeyedMutexObject", "DxgkSharedSyncObject", "DxgkSharedSwapChainObject",
            "DxgkDisplayManagerObject", "DxgkCurrentDxgProcessObject", "DxgkSharedProtectedSessionObject",
            "DxgkSharedBundleObject", "DxgkCompositionObject", "VRegConfigurationContext");

    private static final List<String> WIN11 = List.of("Type", "Directory", "SymbolicLink", "Token", "Job",
            "Process", "Thread", "Partition", "UserApcReserve", "IoCompletionReserve", "ActivityReference",
            "ProcessStateChange", "ThreadStateChange", "PsSiloContextPaged", "PsSiloContextNonPaged", "DebugObject",
            "Event", "Mutant", "Callback", "Semaphore", "Timer", "IRTimer", "Profile", "KeyedEvent",
            "WindowStation", "Desktop", "Composition", "RawInputManager", "CoreMessaging", "ActivationObject",
            "TpWorkerFactory", "Adapter", "Controller", "Device", "Driver", "IoCompletion", "WaitCompletionPacket",
            "File", "IoRing", "TmTm", "TmTx", "TmRm", "TmEn", "Section", "Session", "Key", "RegistryTransaction",
            "ALPC Port", "EnergyTracker", "PowerRequest", "WmiGuid", "EtwRegistration", "EtwSessionDemuxEntry",
            "EtwConsumer", "CoverageSampler", "DmaAdapter", "PcwObject", "FilterConnectionPort",
            "FilterCommunicationPort", "NdisCmState", "DxgkSharedResource", "DxgkSharedKeyedMutexObject",
            "DxgkSharedSyncObject", "DxgkSharedSwapChainObject", "DxgkDisplayManagerObject",
            "DxgkCurrentDxgProcessObject", "DxgkSharedProtectedSessionObject", "DxgkSharedBundleObject",
            "DxgkCompositionObject", "VRegConfigurationContext");

    /** The marker {@code ObTypeIndexTable[1]} holds. */
    static final long BAD_SLOT = 0xbad0b0b0L;
    /** The index of the first real type. */
    static final int FIRST = 2;

    final List<String> names;
    final boolean cookied;
    /** the header cookie, 0 before Windows 10 */
    final int cookie;
    /** why the image has no object types (the profile lacks their structures), or null */
    final String missing;

    ObjectTypes(Profile profile, int build, long seed) {
        names = build < 10240 ? WIN7 : build < 19041 ? WIN10_1809 : build < 22000 ? WIN10_2004 : WIN11;
        cookied = build >= 10240;
        // its own random source, so the rest of the machine's choices do not move
        cookie = cookied ? new Random(seed * 31 + 0x4f62L).nextInt(256) : 0;
        missing = lacking(profile);
    }

    /** @return what the profile lacks for object headers, types and handle tables, or null */
    static String lacking(Profile profile) {
        for (String s : List.of("_OBJECT_TYPE", "_OBJECT_HEADER_NAME_INFO", "_OBJECT_HEADER_CREATOR_INFO",
                "_OBJECT_HEADER_QUOTA_INFO", "_HANDLE_TABLE", "_HANDLE_TABLE_ENTRY", "_OBJECT_DIRECTORY", "_ETHREAD",
                "_CM_KEY_BODY", "_CM_KEY_CONTROL_BLOCK", "_CM_NAME_CONTROL_BLOCK", "_DEVICE_OBJECT")) {
            if (profile.struct(s).isEmpty()) {
                return "profile " + profile.source() + " has no " + s;
            }
        }
        String[][] fields = {{"_OBJECT_HEADER", "TypeIndex"}, {"_OBJECT_HEADER", "InfoMask"},
            {"_OBJECT_TYPE", "Name"}, {"_OBJECT_TYPE", "Index"}, {"_OBJECT_TYPE", "TypeList"},
            {"_OBJECT_HEADER_NAME_INFO", "Directory"}, {"_OBJECT_HEADER_NAME_INFO", "Name"},
            {"_OBJECT_HEADER_CREATOR_INFO", "TypeList"}, {"_HANDLE_TABLE", "TableCode"},
            {"_HANDLE_TABLE", "QuotaProcess"}, {"_HANDLE_TABLE", "UniqueProcessId"},
            {"_HANDLE_TABLE", "HandleTableList"}, {"_EPROCESS", "ObjectTable"}, {"_ETHREAD", "Cid.UniqueProcess"},
            {"_ETHREAD", "Cid.UniqueThread"}, {"_CM_KEY_BODY", "Type"}, {"_CM_KEY_BODY", "KeyControlBlock"},
            {"_CM_KEY_CONTROL_BLOCK", "ParentKcb"}, {"_CM_KEY_CONTROL_BLOCK", "NameBlock"},
            {"_CM_NAME_CONTROL_BLOCK", "Compressed"}, {"_CM_NAME_CONTROL_BLOCK", "NameLength"},
            {"_CM_NAME_CONTROL_BLOCK", "Name"}, {"_FILE_OBJECT", "FileName"}, {"_FILE_OBJECT", "DeviceObject"},
            {"_FILE_OBJECT", "Type"}, {"_FILE_OBJECT", "Size"}, {"_DEVICE_OBJECT", "Type"},
            {"_DEVICE_OBJECT", "Size"}};
        for (String[] f : fields) {
            if (!profile.has(f[0], f[1])) {
                return "profile " + profile.source() + " has no " + f[0] + "." + f[1];
            }
        }
        if (!profile.has("_HANDLE_TABLE_ENTRY", "ObjectPointerBits") && !profile.has("_HANDLE_TABLE_ENTRY",
                "GrantedAccess")) {
            return "profile " + profile.source() + " has neither _HANDLE_TABLE_ENTRY layout (ObjectPointerBits, "
                    + "Object/GrantedAccess)";
        }
        return null;
    }

    /** @return the type's index in ObTypeIndexTable */
    int index(String type) {
        int i = names.indexOf(type);
        if (i < 0) {
            throw new IllegalArgumentException("no object type " + type);
        }
        return FIRST + i;
    }

    /** @return the TypeIndex byte of an object of {@code type} whose _OBJECT_HEADER is at {@code header} */
    int encode(String type, long header) {
        return encodeIndex(index(type), header);
    }

    int encodeIndex(int index, long header) {
        return cookied ? (index ^ cookie ^ (int) ((header >>> 8) & 0xff)) & 0xff : index;
    }
}
