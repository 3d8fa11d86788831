/**
 * Word lists the content generators draw from. Lists are ordered roughly by how common the words
 * are, and callers pick with a skew towards the front, as real text does.
 */
function words(text: string): readonly string[] {
  return Object.freeze(text.trim().split(/\s+/))
}

export const ENGLISH = words(`
the of to and a in is it that for as with be on not this are by or an if from at which but
can will all have when one has its should so more used any other use been must only may no
there each than then into also value default new same these such return set given object
function data file name list type instance method string number example first two time
called way first error whether case values object attribute class module version support
argument arguments keyword returns raised raise current order below above following before
after without within between because however instead otherwise always never both either
result results path paths directory option options specified specify see note default
behaviour behavior changed added removed deprecated compatibility previous release
document documentation information details implementation internal public private
user users request response server client connection session handler event events
input output stream buffer bytes text encoding decode encode character characters line
lines start end size length count index key keys item items entry entries element
elements mapping sequence iterable iterator generator callable context manager lock
thread process signal timeout wait call calls caller callback state status code message
messages warning warnings exception exceptions test tests check checks valid invalid
true false none empty missing found exist exists create created update updated delete
read write open close closed load save parse parsed format formatted convert converted
copy move build built install installed package packages library libraries dependency
config configuration environment variable variables system platform local remote global
field fields record records table tables column columns row rows query filter sort group
match pattern expression regular simple complex single multiple several many few most
least every often usually typically generally rather already still just even much well
make makes made take takes get gets give gives keep keeps need needs want allow allows
provide provides contain contains include includes require requires handle handles
ensure ensures avoid avoids prevent allow works work working run running stop stopped
here where while what who how why often small large long short high low fast slow safe
`)

/** Parts of speech for docstring-like sentences (see content/prose.ts). */
export const NOUNS = words(`
value object name file path list string number argument result instance method function
module class type key item entry element field option default error exception message
request response connection session handler event callback stream buffer data input output
directory package version configuration environment variable context manager process thread
lock timeout state status code parameter attribute mapping sequence iterator generator
record table column row query filter pattern expression index offset length size count
cache store token header body content encoding format source target prefix node tree
`)

export const VERBS = words(`
returns creates sets gets reads writes opens closes loads saves parses converts checks
raises handles ensures updates removes adds contains uses calls builds finds matches
supports allows provides requires accepts stores resolves validates registers wraps
`)

export const PARTICIPLES = words(`
returned created set read written opened closed loaded saved parsed converted checked
raised handled updated removed added used called built found matched supported allowed
provided required accepted stored resolved validated registered wrapped ignored passed
`)

export const ADJECTIVES = words(`
new current given default same other first last next previous empty valid invalid
optional required internal public private local remote global single multiple
whole original underlying existing missing known unknown final initial raw
`)

export const PREPOSITIONS = words(`of for in to from with on by into as at`)

export const CODE_WORDS = words(`
get set value name data config key item items node path file result options args kwargs
self cls obj other index count size length buffer stream reader writer parser token tokens
handler request response session client server context state status error errors message
cache store entry entries record records field fields schema model view form widget base
manager factory builder loader resolver registry plugin plugins hook hooks event events
callback callbacks queue worker task tasks job jobs pool thread lock timer timeout retry
source target dest prefix suffix root parent child children tree graph edge vertex
header headers body content payload encoding charset text line lines chunk chunks block
start stop end begin offset limit page pages total step level depth width height
format formatter serializer decoder encoder converter adapter wrapper proxy mixin meta
spec info summary detail details flag flags mode modes kind type types attr attrs
module modules package packages version versions release build install env environment
user users group groups role roles token auth credential credentials secret password
url uri host port scheme query params param fragment address socket connection conn
table column columns row rows cursor query engine dialect transaction commit rollback
array vector matrix shape dtype axis scale scalar tensor sample samples weight weights
log logger logging debug warn trace level handler filter filters level levels
parse load dump read write open close flush seek tell send recv fetch update delete
create remove insert append extend pop clear copy merge split join strip replace
validate check ensure normalize resolve render compile execute run apply process
`)

export const STDLIB_MODULES = words(`
os sys re json typing collections functools itertools logging pathlib dataclasses abc enum
io time datetime warnings contextlib threading subprocess socket struct hashlib base64 copy
math random string textwrap inspect types weakref operator shutil tempfile traceback
codecs locale platform signal errno stat fnmatch glob queue asyncio uuid decimal fractions
`)

export const STDLIB_NAMES = words(`
Any Optional Union Dict List Tuple Callable Iterable Iterator Mapping Sequence TypeVar
Generic Protocol cast overload namedtuple defaultdict OrderedDict deque Counter partial
wraps lru_cache reduce chain islice groupby Path PurePath dataclass field ABC abstractmethod
Enum IntEnum datetime timedelta timezone contextmanager suppress ExitStack
`)

export const BUILTINS = words(`
len isinstance str int dict list tuple set range enumerate zip getattr setattr hasattr
super sorted min max any all repr bool float iter next map filter type id hash open
`)

export const EXCEPTIONS = words(`
ValueError TypeError KeyError RuntimeError AttributeError NotImplementedError OSError
IndexError LookupError StopIteration ImportError FileNotFoundError PermissionError
`)

/** CPython C-API and libc symbols, as found in the dynamic symbol tables of extension modules. */
export const C_SYMBOLS = words(`
PyObject_GetAttr PyObject_GetAttrString PyObject_SetAttr PyObject_Call PyObject_CallObject
PyObject_IsTrue PyObject_RichCompare PyObject_Hash PyObject_Repr PyObject_Str PyObject_Free
PyObject_Malloc PyObject_GC_Track PyObject_GC_UnTrack PyObject_GenericGetAttr
PyLong_FromLong PyLong_AsLong PyLong_FromSsize_t PyLong_AsSsize_t PyLong_FromUnsignedLong
PyFloat_FromDouble PyFloat_AsDouble PyUnicode_FromString PyUnicode_AsUTF8
PyUnicode_FromFormat PyUnicode_InternFromString PyUnicode_Decode PyUnicode_Concat
PyBytes_FromStringAndSize PyBytes_AsString PyBytes_Size PyTuple_New PyTuple_Pack
PyList_New PyList_Append PyList_GetItem PyDict_New PyDict_SetItem PyDict_GetItem
PyDict_SetItemString PyDict_Next PyErr_SetString PyErr_Occurred PyErr_Format PyErr_Clear
PyErr_NoMemory PyErr_Fetch PyErr_Restore PyErr_ExceptionMatches PyArg_ParseTuple
PyArg_ParseTupleAndKeywords PyModule_Create2 PyModule_AddObject PyModule_AddIntConstant
PyModule_GetState PyType_Ready PyType_GenericAlloc PyType_FromSpec PyCapsule_New
PyCapsule_GetPointer PyImport_ImportModule PyEval_SaveThread PyEval_RestoreThread
PyGILState_Ensure PyGILState_Release PyMem_Malloc PyMem_Free PyMem_Realloc PyBuffer_Release
PyObject_GetBuffer PySequence_Size PySequence_GetItem PyIter_Next PyNumber_Index
_Py_Dealloc _Py_NoneStruct _Py_TrueStruct _Py_FalseStruct _PyArg_UnpackKeywords
PyExc_TypeError PyExc_ValueError PyExc_RuntimeError PyExc_MemoryError PyExc_OverflowError
PyExc_KeyError PyExc_IndexError PyExc_OSError PyExc_AttributeError PyExc_StopIteration
malloc calloc realloc free memcpy memmove memset memcmp strlen strcmp strncmp strchr strrchr
strdup snprintf fprintf fputs fwrite fread fopen fclose fflush abort exit getenv qsort
pthread_mutex_lock pthread_mutex_unlock pthread_create pthread_join dlopen dlsym dlclose
__stack_chk_fail __cxa_finalize __gmon_start__ _ITM_registerTMCloneTable
_ITM_deregisterTMCloneTable __errno_location __assert_fail
`)

export const LICENSE_NAMES = words(`MIT Apache-2.0 BSD-3-Clause BSD-2-Clause PSF-2.0 MPL-2.0 ISC LGPL-3.0`)
